--[[
  recoverExpired: takes back tasks of one queue whose lease expired (their worker died or
  stalled). Each goes back to ready flagged redelivered, keeping its place, or to the dead letters
  as worker_lost once lost maxRedeliveries times.

  KEYS[1] ready    ZSET  score (9 - priority) * 2^44 + runAt
  KEYS[2] leases   ZSET  member id .. "|" .. token, score lease expiry
  KEYS[3] done     ZSET  score result expiry
  KEYS[4] dead     ZSET  score dead-letter expiry
  KEYS[5] signal   LIST  wake-up tokens

  ARGV[1] task key prefix
  ARGV[2] now (ms)
  ARGV[3] max redeliveries
  ARGV[4] dead-letter ttl (ms)
  ARGV[5] most tasks to recover in this call

  A fairly shared task keeps its slot when requeued and gives it to the next of its gate when it
  goes to the dead letters (lib/group-gate.lua).

  Returns { requeued, dead }: 3 per task each: id, task name, redeliveries.
]]
local prefix, nowText = ARGV[1], ARGV[2]
local now, maxRedeliveries, deadTtl = tonumber(nowText), tonumber(ARGV[3]), tonumber(ARGV[4])
local BAND = 17592186044416
local WORKER_LOST = '{"type":"WorkerLostError","message":"worker lost: the lease expired too many times",'
  .. '"stack":null,"code":"worker_lost"}'

-- Numbers passed to redis.call are sent exactly (%.17g); only `..` would round them (%.14g).

-- @include group-gate

local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. nowText, 'LIMIT', 0, tonumber(ARGV[5]))
local requeued, lost = {}, {}
for _, member in ipairs(expired) do
  local id = string.match(member, '^(.*)|')
  local key = prefix .. id
  local f = redis.call('HMGET', key, 'n', 'p', 'ra', 'gk', 'gl')
  if f[1] then
    local redeliveries = redis.call('HINCRBY', key, 'rd', 1)
    if redeliveries >= maxRedeliveries then
      local expiresAt = now + deadTtl
      redis.call('HSET', key, 's', 'FAILURE', 'err', WORKER_LOST, 'dr', 'worker_lost', 'fa', nowText, 'x', expiresAt)
      redis.call('PEXPIRE', key, deadTtl)
      redis.call('ZADD', KEYS[3], expiresAt, id)
      redis.call('ZADD', KEYS[4], expiresAt, id)
      if f[4] and gateVacate(KEYS[1], id, f[4], tonumber(f[5]), now) > 0 then
        redis.call('LPUSH', KEYS[5], '1')
      end
      lost[#lost + 1] = id
      lost[#lost + 1] = f[1]
      lost[#lost + 1] = redeliveries
    else
      redis.call('HSET', key, 's', 'PENDING', 'rv', '1')
      redis.call('HDEL', key, 'w')
      redis.call('ZADD', KEYS[1], (9 - tonumber(f[2])) * BAND + tonumber(f[3]), id)
      redis.call('LPUSH', KEYS[5], '1')
      requeued[#requeued + 1] = id
      requeued[#requeued + 1] = f[1]
      requeued[#requeued + 1] = redeliveries
    end
  end
end
if #expired > 0 then redis.call('ZREM', KEYS[2], unpack(expired)) end
redis.call('LTRIM', KEYS[5], 0, 63)
return { requeued, lost }
