--[[
  sendControl: appends a control command to a capped log that workers poll.

  KEYS[1] sequence  STRING  last seq
  KEYS[2] log       ZSET    score seq, member the command JSON

  ARGV[1] the command JSON without its opening brace and seq: '"command":...,"createdAt":N}'
  ARGV[2] how many commands to keep

  Returns the new command's seq.
]]
local seq = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], seq, '{"seq":' .. seq .. ',' .. ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[2]) + 1))
return seq
