--[[
  queueStats: counts of one queue, read in one consistent step.

  KEYS[1] ready    ZSET  score (9 - priority) * 2^44 + runAt
  KEYS[2] delayed  ZSET  score runAt
  KEYS[3] leases   ZSET
  KEYS[4] dead     ZSET  score dead-letter expiry

  ARGV[1] now (ms)

  Returns { waiting, delayed, active, dead, oldest runAt of a due task or "" }
]]
local BAND = 17592186044416
local now = ARGV[1]

-- @include group-gate

-- Fairly shared tasks waiting for a slot of their gate are due: they count as waiting.
local inLine = tonumber(redis.call('GET', gatePrefix(KEYS[1]) .. 'inline') or '0')
local dueDelayed = redis.call('ZCOUNT', KEYS[2], '-inf', now)
local oldest = nil
for band = 0, 9 do
  local low = string.format('%d', band * BAND)
  local high = '(' .. string.format('%d', (band + 1) * BAND)
  local first = redis.call('ZRANGEBYSCORE', KEYS[1], low, high, 'WITHSCORES', 'LIMIT', 0, 1)
  if #first > 0 then
    local runAt = tonumber(first[2]) - band * BAND
    if not oldest or runAt < oldest then oldest = runAt end
  end
end
if dueDelayed > 0 then
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  local runAt = tonumber(first[2])
  if not oldest or runAt < oldest then oldest = runAt end
end
return {
  redis.call('ZCARD', KEYS[1]) + dueDelayed + inLine,
  redis.call('ZCOUNT', KEYS[2], '(' .. now, '+inf'),
  redis.call('ZCARD', KEYS[3]),
  redis.call('ZCOUNT', KEYS[4], '(' .. now, '+inf'),
  oldest and string.format('%d', oldest) or '',
}
