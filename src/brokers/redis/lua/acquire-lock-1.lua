--[[
  acquireLock: takes or renews a named lease. Expiry is judged against ARGV now (the injected
  clock), not Redis's; the key's own TTL only collects it long after it lapsed.

  KEYS[1] lock  STRING  "<expiresAt>:<token>"

  ARGV[1] token
  ARGV[2] now (ms)
  ARGV[3] ttl (ms)

  Returns 1 when the caller holds the lease until now + ttl, 0 while another token holds it.
]]
local now, ttl = tonumber(ARGV[2]), tonumber(ARGV[3])
local held = redis.call('GET', KEYS[1])
if held then
  local sep = string.find(held, ':', 1, true)
  local expires, token = tonumber(string.sub(held, 1, sep - 1)), string.sub(held, sep + 1)
  if token ~= ARGV[1] and expires > now then return 0 end
end
redis.call('SET', KEYS[1], (now + ttl) .. ':' .. ARGV[1], 'PX', ttl + 60000)
return 1
