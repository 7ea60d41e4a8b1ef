--[[
  revoke: records a revocation on a task of one queue. A waiting task is finalised REVOKED at
  once; a running one keeps running until its worker sees the mark through extendLeases.

  KEYS[1] task hash
  KEYS[2] ready    ZSET
  KEYS[3] delayed  ZSET
  KEYS[4] done     ZSET  score result expiry
  KEYS[5] signal   LIST  wake-up tokens

  ARGV[1] task id
  ARGV[2] now (ms)
  ARGV[3] "2" to terminate a running task, "1" to only revoke
  ARGV[4] result ttl (ms)

  Returns { code, task name }: code 0 no such task, 1 marked, 2 finalised as REVOKED.
]]
-- @include group-gate

local f = redis.call('HMGET', KEYS[1], 'n', 's', 'rk', 'gk', 'gl')
if not f[1] then return { 0, '' } end
if not f[3] or tonumber(f[3]) < tonumber(ARGV[3]) then redis.call('HSET', KEYS[1], 'rk', ARGV[3]) end
if f[2] ~= 'PENDING' and f[2] ~= 'RETRY' then return { 1, f[1] } end
local ttl = tonumber(ARGV[4])
local expiresAt = tonumber(ARGV[2]) + ttl
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
-- A fairly shared task leaves its gate's line or slot (lib/group-gate.lua).
if f[4] and gateForget(KEYS[2], ARGV[1], f[4], tonumber(f[5]), tonumber(ARGV[2])) > 0 then
  if redis.call('LLEN', KEYS[5]) < 64 then redis.call('LPUSH', KEYS[5], '1') end
end
local err = '{"type":"TaskRevokedError","message":"task revoked","stack":null,"code":"REVOKED"}'
redis.call('HSET', KEYS[1], 's', 'REVOKED', 'err', err, 'fa', ARGV[2], 'x', expiresAt)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('ZADD', KEYS[4], expiresAt, ARGV[1])
return { 2, f[1] }
