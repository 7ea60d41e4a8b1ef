--[[
  putWorkflow: stores a workflow's planned tree with its time to live (one command, as a script so
  every transport runs it the same way).

  KEYS[1] tree  STRING
  ARGV[1] tree JSON   ARGV[2] ttl (ms)
]]
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
