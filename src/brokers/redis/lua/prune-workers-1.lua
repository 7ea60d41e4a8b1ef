--[[
  pruneWorkers: forgets workers whose last heartbeat is older than a cutoff.

  KEYS[1] worker index  ZSET  score last heartbeat (ms)

  ARGV[1] worker key prefix (same hash tag as KEYS[1])
  ARGV[2] cutoff (ms): workers heard from before it are removed

  Returns the names removed.
]]
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
for _, name in ipairs(gone) do
  redis.call('DEL', ARGV[1] .. name)
end
if #gone > 0 then redis.call('ZREM', KEYS[1], unpack(gone)) end
return gone
