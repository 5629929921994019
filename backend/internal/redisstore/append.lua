-- Appends records to a match if it has exactly the records its caller has.
-- KEYS: the match's hash, its list of records, then new resume-token keys.
-- ARGV: the position to append at, the TTL in milliseconds, the match's id,
-- then the records.
-- Returns the position appended at, -1 if the match has more records, -2 if
-- it does not exist, -3 if it has fewer (Redis lost some). The records are
-- published on the hash's name as the position then the records, a line each.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return -2
end
local at = tonumber(ARGV[1])
local n = redis.call('LLEN', KEYS[2])
if n < at then
  return -3 -- records lost, by a restart without persistence: the server heals it
end
if n > at then
  return -1
end
local ttl = ARGV[2]
local keys = redis.call('HGET', KEYS[1], 'keys') or ''
for i = 3, #KEYS do
  redis.call('SET', KEYS[i], ARGV[3], 'PX', ttl)
  keys = keys .. ' ' .. KEYS[i]
end
if #KEYS > 2 then
  redis.call('HSET', KEYS[1], 'keys', keys)
end
for key in string.gmatch(keys, '%S+') do
  redis.call('PEXPIRE', key, ttl)
end
redis.call('RPUSH', KEYS[2], unpack(ARGV, 4))
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('PUBLISH', KEYS[1], ARGV[1] .. '\n' .. table.concat(ARGV, '\n', 4))
return at
