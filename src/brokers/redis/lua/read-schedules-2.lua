--[[
  readSchedules: beat's entries with their run state, all of them or one.

  KEYS[1] schedules  HASH  name -> JSON {entry, source, updatedAt}
  KEYS[2] states     HASH  name -> JSON run state

  ARGV[1] a name, or '' for every entry

  Returns a flat array: name, definition JSON, state JSON (or false), ...
]]
local out = {}
local function add(name, def)
  out[#out + 1] = name
  out[#out + 1] = def
  out[#out + 1] = redis.call('HGET', KEYS[2], name)
end
if ARGV[1] ~= '' then
  local def = redis.call('HGET', KEYS[1], ARGV[1])
  if def then add(ARGV[1], def) end
  return out
end
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do add(all[i], all[i + 1]) end
return out
