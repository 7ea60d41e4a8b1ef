--[[
  putSchedule: creates or replaces an entry together with its run state.

  KEYS[1] schedules  HASH  name -> JSON {entry, source, updatedAt}
  KEYS[2] states     HASH  name -> JSON run state

  ARGV[1] name
  ARGV[2] definition JSON
  ARGV[3] state JSON

  Returns 1.
]]
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1
