--[[
  purge: deletes waiting and delayed tasks of one queue (fairly shared ones in their gates' lines too); running tasks finish normally. Bounded
  per call; the caller repeats until it returns 0.

  KEYS[1] ready    ZSET
  KEYS[2] delayed  ZSET
  KEYS[3] all      ZSET
  KEYS[4] signal   LIST

  ARGV[1] task key prefix
  ARGV[2] most tasks to delete in this call

  Returns the number of tasks deleted.
]]
-- @include group-gate

local limit = tonumber(ARGV[2])
local ids = {}
-- Fairly shared tasks waiting for a slot are queued too: their gates' lines come last.
local g = gatePrefix(KEYS[1])
local sets = { KEYS[1], KEYS[2] }
for _, gate in ipairs(redis.call('SMEMBERS', g .. 'keys')) do sets[#sets + 1] = g .. 'w:' .. gate end
for n, set in ipairs(sets) do
  local popped = redis.call('ZPOPMIN', set, limit - #ids)
  for i = 1, #popped, 2 do ids[#ids + 1] = popped[i] end
  if n > 2 and #popped > 0 then redis.call('DECRBY', g .. 'inline', #popped / 2) end
  if #ids >= limit then break end
end
if #ids == 0 then
  redis.call('DEL', KEYS[4])
  return 0
end
local keys = {}
for i, id in ipairs(ids) do
  keys[i] = ARGV[1] .. id
  -- A purged task in ready held a slot of its gate: the slot is free again.
  local gate = redis.call('HGET', keys[i], 'gk')
  if gate then
    redis.call('SREM', g .. 'a:' .. gate, id)
    if redis.call('SCARD', g .. 'a:' .. gate) == 0 and redis.call('ZCARD', g .. 'w:' .. gate) == 0 then
      redis.call('SREM', g .. 'keys', gate)
    end
  end
end
redis.call('DEL', unpack(keys))
redis.call('ZREM', KEYS[3], unpack(ids))
return #ids
