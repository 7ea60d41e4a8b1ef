--[[
  cleanupResults: deletes finished tasks of one queue whose result expiry has passed, with their
  index entries. Bounded per call; the caller repeats while it returns the limit.

  KEYS[1] done  ZSET  score result expiry
  KEYS[2] dead  ZSET  score dead-letter expiry
  KEYS[3] all   ZSET  score createdAt

  ARGV[1] task key prefix
  ARGV[2] now (ms)
  ARGV[3] most tasks to delete in this call

  Returns the number of tasks deleted.
]]
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
if #gone == 0 then return 0 end
local keys = {}
for i, id in ipairs(gone) do keys[i] = ARGV[1] .. id end
redis.call('DEL', unpack(keys))
redis.call('ZREM', KEYS[1], unpack(gone))
redis.call('ZREM', KEYS[2], unpack(gone))
redis.call('ZREM', KEYS[3], unpack(gone))
return #gone
