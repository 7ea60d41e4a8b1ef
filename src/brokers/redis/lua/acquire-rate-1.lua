--[[
  acquireRate: takes one token from a bucket refilled continuously at count/perMs and capped at
  count, shared by every process on the broker.

  KEYS[1] bucket  HASH  t: tokens, u: last update (ms)

  ARGV[1] now (ms)
  ARGV[2] count
  ARGV[3] per (ms)

  Returns 0 when granted, else the ms until a token is due.
]]
local now, count, per = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local rate = count / per
local b = redis.call('HMGET', KEYS[1], 't', 'u')
local tokens = count
if b[1] then
  local elapsed = math.max(0, now - tonumber(b[2]))
  tokens = math.min(count, tonumber(b[1]) + elapsed * rate)
end
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.max(1, math.ceil((1 - tokens) / rate))
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'u', ARGV[1])
-- A bucket idle for a whole period is full again: dropping it then loses nothing.
redis.call('PEXPIRE', KEYS[1], math.ceil(per) + 1000)
return wait
