--[[
  heartbeat: stores a worker's snapshot (a key with a TTL) and its last heartbeat (an index).

  KEYS[1] worker index  ZSET  score last heartbeat (ms)
  KEYS[2] worker key    STRING  WorkerInfo JSON

  ARGV[1] worker name
  ARGV[2] now (ms)
  ARGV[3] WorkerInfo JSON
  ARGV[4] snapshot ttl (ms)

  Returns 1 when the worker was not known (announce it online), else 0.
]]
local fresh = redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
return fresh
