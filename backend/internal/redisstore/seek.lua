-- Pairs a player looking for an opponent: takes the oldest key waiting in
-- the queue KEYS[1], or, if none waits, adds ARGV[1], the seeker's own key,
-- and keeps the queue ARGV[2] milliseconds past its last use. The seeker's
-- key, if already there, is never its own partner.
redis.call('LREM', KEYS[1], 0, ARGV[1])
local other = redis.call('LPOP', KEYS[1])
if other then
  return other
end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return false
