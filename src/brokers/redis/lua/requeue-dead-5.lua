--[[
  requeueDead: puts a failed task back on its queue, due now, with fresh counters and no trace of
  the failure or of an old revocation.

  KEYS[1] task hash
  KEYS[2] ready    ZSET  score (9 - priority) * 2^44 + runAt
  KEYS[3] done     ZSET
  KEYS[4] dead     ZSET
  KEYS[5] signal   LIST

  ARGV[1] task id
  ARGV[2] now (ms)

  A fairly shared task asks its gate for a slot again (lib/group-gate.lua).

  Returns { 1, task name } when requeued, { 0, "" } when the task is not a failure.
]]
local BAND = 17592186044416

-- @include group-gate

local f = redis.call('HMGET', KEYS[1], 'n', 's', 'p', 'gk', 'gl')
if f[2] ~= 'FAILURE' then return { 0, '' } end
redis.call('HDEL', KEYS[1], 'a', 'r', 'rd', 'rv', 'rk', 'err', 'dr', 'res', 'meta', 'w', 'sa', 'fa', 'rt', 'x', 'tk', 'le')
redis.call('HSET', KEYS[1], 's', 'PENDING', 'ra', ARGV[2])
redis.call('PERSIST', KEYS[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
if f[4] then
  local now = tonumber(ARGV[2])
  if gateAdmit(KEYS[2], ARGV[1], f[4], tonumber(f[5]), tonumber(f[3]), now, now) == 0 then return { 1, f[1] } end
else
  redis.call('ZADD', KEYS[2], (9 - tonumber(f[3])) * BAND + tonumber(ARGV[2]), ARGV[1])
end
if redis.call('LLEN', KEYS[5]) < 64 then redis.call('LPUSH', KEYS[5], '1') end
return { 1, f[1] }
