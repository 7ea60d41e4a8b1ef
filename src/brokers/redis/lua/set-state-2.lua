--[[
  setState: marks a running task STARTED (with its start time) or PROGRESS (with meta), fenced by
  the lease token.

  KEYS[1] task hash
  KEYS[2] leases  ZSET  member id .. "|" .. token

  ARGV[1] lease token
  ARGV[2] state: "STARTED" | "PROGRESS"
  ARGV[3] now (ms)
  ARGV[4] "1" when meta is given (PROGRESS), else "0"
  ARGV[5] meta JSON
  ARGV[6] task id

  Returns 1 recorded, 0 lease lost.
]]
if not redis.call('ZSCORE', KEYS[2], ARGV[6] .. '|' .. ARGV[1]) then return 0 end
if ARGV[2] == 'STARTED' then
  redis.call('HSET', KEYS[1], 's', 'STARTED', 'sa', ARGV[3])
elseif ARGV[4] == '1' then
  redis.call('HSET', KEYS[1], 's', 'PROGRESS', 'meta', ARGV[5])
else
  redis.call('HSET', KEYS[1], 's', 'PROGRESS')
  redis.call('HDEL', KEYS[1], 'meta')
end
return 1
