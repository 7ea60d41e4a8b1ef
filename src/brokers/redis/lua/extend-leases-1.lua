--[[
  extendLeases: renews the leases of running tasks of one queue, fenced by token, and reports
  revocations recorded on them meanwhile.

  KEYS[1] leases  ZSET  member id .. "|" .. token, score lease expiry

  ARGV[1] task key prefix
  ARGV[2] now (ms)
  ARGV[3] lease duration (ms)
  ARGV[4..] 2 per lease: id, token

  Returns one number per lease: (1 if renewed else 0) + 10 * revocation (0 none, 1 revoked, 2 terminate).
]]
local prefix = ARGV[1]
local expiresAt = string.format('%d', tonumber(ARGV[2]) + tonumber(ARGV[3]))
local out = {}
for i = 4, #ARGV, 2 do
  local id = ARGV[i]
  local member = id .. '|' .. ARGV[i + 1]
  local ok = 0
  if redis.call('ZSCORE', KEYS[1], member) then
    redis.call('ZADD', KEYS[1], 'XX', expiresAt, member)
    ok = 1
  end
  local rk = redis.call('HGET', prefix .. id, 'rk')
  out[#out + 1] = ok + 10 * tonumber(rk or '0')
end
return out
