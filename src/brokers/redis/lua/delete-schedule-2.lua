--[[
  deleteSchedule: removes an entry and its run state.

  KEYS[1] schedules  HASH
  KEYS[2] states     HASH

  ARGV[1] name

  Returns 1 when there was an entry, else 0.
]]
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return removed
