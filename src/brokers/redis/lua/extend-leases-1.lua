--[[
  extendLeases: renews the leases of running tasks of one queue, fenced by token, and reports
  revocations recorded on them meanwhile.

  KEYS[1] leases  ZSET  score lease expiry

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
  local key = prefix .. id
  local f = redis.call('HMGET', key, 'tk', 'rk')
  local ok = 0
  if f[1] and f[1] == ARGV[i + 1] then
    redis.call('HSET', key, 'le', expiresAt)
    redis.call('ZADD', KEYS[1], 'XX', expiresAt, id)
    ok = 1
  end
  out[#out + 1] = ok + 10 * tonumber(f[2] or '0')
end
return out
