--[[
  celeryExtendLeases: keeps claimed Celery messages from being restored while they run, by moving
  their unacked_index score (the claim time kombu's restore compares with its visibility
  timeout) to now. Fenced by our lease token.

  KEYS[1] unacked_index  ZSET  delivery_tag, score seconds (kombu's)
  KEYS[2] leases         HASH  delivery_tag -> token .. "|" .. list (ours)

  ARGV[1] now (ms)
  ARGV[2..] 2 per lease: delivery_tag, token

  Returns one number per lease: 1 renewed, 0 lost.
]]
local score = string.format('%.6f', tonumber(ARGV[1]) / 1000)
local out = {}
for i = 2, #ARGV, 2 do
  local tag, token = ARGV[i], ARGV[i + 1]
  local held = redis.call('HGET', KEYS[2], tag)
  local ok = 0
  if held and string.sub(held, 1, #token + 1) == token .. '|' and redis.call('ZSCORE', KEYS[1], tag) then
    redis.call('ZADD', KEYS[1], 'XX', score, tag)
    ok = 1
  end
  out[#out + 1] = ok
end
return out
