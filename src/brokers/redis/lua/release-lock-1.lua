--[[
  releaseLock: gives a lease up, only if the caller still holds it.

  KEYS[1] lock  STRING  "<expiresAt>:<token>"

  ARGV[1] token

  Returns 1 when released, 0 when another token held it (or nobody).
]]
local held = redis.call('GET', KEYS[1])
if not held then return 0 end
local token = string.sub(held, string.find(held, ':', 1, true) + 1)
if token ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
