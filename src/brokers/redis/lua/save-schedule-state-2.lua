--[[
  saveScheduleState: beat records a fire. Only the state is written, and only while the entry
  exists, so a concurrent delete through the API is not undone.

  KEYS[1] schedules  HASH
  KEYS[2] states     HASH

  ARGV[1] name
  ARGV[2] state JSON

  Returns 1 when saved, 0 when the entry is gone.
]]
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
