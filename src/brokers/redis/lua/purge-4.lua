--[[
  purge: deletes waiting and delayed tasks of one queue; running tasks finish normally. Bounded
  per call; the caller repeats until it returns 0.

  KEYS[1] ready    ZSET
  KEYS[2] delayed  ZSET
  KEYS[3] all      ZSET
  KEYS[4] signal   LIST

  ARGV[1] task key prefix
  ARGV[2] most tasks to delete in this call

  Returns the number of tasks deleted.
]]
local limit = tonumber(ARGV[2])
local ids = {}
for _, set in ipairs({ KEYS[1], KEYS[2] }) do
  local popped = redis.call('ZPOPMIN', set, limit - #ids)
  for i = 1, #popped, 2 do ids[#ids + 1] = popped[i] end
  if #ids >= limit then break end
end
if #ids == 0 then
  redis.call('DEL', KEYS[4])
  return 0
end
local keys = {}
for i, id in ipairs(ids) do keys[i] = ARGV[1] .. id end
redis.call('DEL', unpack(keys))
redis.call('ZREM', KEYS[3], unpack(ids))
return #ids
