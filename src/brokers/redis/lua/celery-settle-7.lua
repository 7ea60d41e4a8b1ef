--[[
  celerySettle: records the outcome of a claimed Celery message, fenced by our lease token: writes
  celery-task-meta-<id> with its expiry and publishes it on the same channel (what AsyncResult
  listens to), never over a SUCCESS, acks the message as kombu does (removes it from unacked and
  unacked_index) and, by action, puts a message back.

  KEYS[1] unacked          HASH  (kombu's)
  KEYS[2] unacked_index    ZSET  (kombu's)
  KEYS[3] leases           HASH  delivery_tag -> token .. "|" .. list (ours)
  KEYS[4] meta             STRING celery-task-meta-<id>
  KEYS[5] delayed          ZSET  delivery_tag, score due ms (ours)
  KEYS[6] delayed messages HASH  delivery_tag -> JSON {list, raw}
  KEYS[7] dead             HASH  id -> JSON dead-letter record

  ARGV[1] delivery_tag
  ARGV[2] token
  ARGV[3] meta JSON, or '' to write none
  ARGV[4] meta expiry in seconds (0: none)
  ARGV[5] action: 'ack' | 'keep' (state update, the message stays claimed) | 'delay' (park
          ARGV[7] under tag ARGV[9] until ARGV[8] ms) | 'push' (LPUSH ARGV[7] to list ARGV[6],
          as a producer does) | 'requeue' (RPUSH: served next) | 'dead' (ARGV[7] is the record)
  ARGV[6] list
  ARGV[7] payload
  ARGV[8] due (ms)
  ARGV[9] tag of the parked message

  Returns 1 recorded, 2 recorded but the meta was left alone (a SUCCESS is there), -1 lease lost.
]]
local tag = ARGV[1]
local held = redis.call('HGET', KEYS[3], tag)
if not held or string.sub(held, 1, #ARGV[2] + 1) ~= ARGV[2] .. '|' then return -1 end

local action = ARGV[5]
if action ~= 'keep' then
  redis.call('HDEL', KEYS[1], tag)
  redis.call('ZREM', KEYS[2], tag)
  redis.call('HDEL', KEYS[3], tag)
end

local result = 1
if ARGV[3] ~= '' then
  local current = redis.call('GET', KEYS[4])
  local ok, meta = false, nil
  if current then ok, meta = pcall(cjson.decode, current) end
  if ok and type(meta) == 'table' and meta.status == 'SUCCESS' then
    result = 2
  else
    local ttl = tonumber(ARGV[4])
    if ttl > 0 then
      redis.call('SET', KEYS[4], ARGV[3], 'EX', ttl)
    else
      redis.call('SET', KEYS[4], ARGV[3])
    end
    redis.call('PUBLISH', KEYS[4], ARGV[3])
  end
end

if action == 'delay' then
  redis.call('ZADD', KEYS[5], ARGV[8], ARGV[9])
  redis.call('HSET', KEYS[6], ARGV[9], cjson.encode({ list = ARGV[6], raw = ARGV[7] }))
elseif action == 'push' then
  redis.call('LPUSH', ARGV[6], ARGV[7])
elseif action == 'requeue' then
  redis.call('RPUSH', ARGV[6], ARGV[7])
elseif action == 'dead' then
  redis.call('HSET', KEYS[7], tag, ARGV[7])
end
return result
