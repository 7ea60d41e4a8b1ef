--[[
  replyControl: stores a worker's reply to a command, unless the command is gone (nobody waits).

  KEYS[1] log      ZSET  score seq
  KEYS[2] replies  LIST  reply JSON, one per worker

  ARGV[1] command seq
  ARGV[2] reply JSON
  ARGV[3] replies ttl (ms)

  Returns 1 stored, 0 dropped.
]]
if redis.call('ZCOUNT', KEYS[1], ARGV[1], ARGV[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
