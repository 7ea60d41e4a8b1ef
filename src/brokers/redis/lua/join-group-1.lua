--[[
  joinGroup: records one group member's result, once per index, and answers every result in
  index order once all `size` members have recorded theirs (to every later call too), else nil.
  One script, so two last members finishing at the same instant cannot both miss completion.

  KEYS[1] join  HASH  field index -> result JSON (the group's own hash tag)

  ARGV[1] index   ARGV[2] size   ARGV[3] result JSON   ARGV[4] ttl (ms)
]]
redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local size = tonumber(ARGV[2])
if redis.call('HLEN', KEYS[1]) < size then return false end
-- unpack() is limited to a few thousand values: read the results in slices.
local out = {}
for first = 0, size - 1, 1000 do
  local fields = {}
  for i = first, math.min(first + 999, size - 1) do fields[#fields + 1] = tostring(i) end
  local values = redis.call('HMGET', KEYS[1], unpack(fields))
  for _, v in ipairs(values) do out[#out + 1] = v end
end
return out
