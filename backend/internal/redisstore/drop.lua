-- Deletes a match: KEYS are its hash and its list of records; the keys the
-- hash names go too.
local keys = redis.call('HGET', KEYS[1], 'keys') or ''
for key in string.gmatch(keys, '%S+') do
  redis.call('DEL', key)
end
return redis.call('DEL', KEYS[1], KEYS[2])
