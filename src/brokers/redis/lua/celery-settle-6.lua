--[[
  celerySettle: records the outcomes of claimed Celery messages, each fenced by our lease token:
  writes celery-task-meta-<id> with its expiry and publishes it on the same channel (what
  AsyncResult listens to), never over a SUCCESS, acks the message as kombu does (removes it from
  unacked and unacked_index) and, by action, puts a message back. Several outcomes go in one call
  (the worker settles what finished in the same turn together); each is judged on its own.

  KEYS[1] unacked          HASH  (kombu's)
  KEYS[2] unacked_index    ZSET  (kombu's)
  KEYS[3] leases           HASH  delivery_tag -> token .. "|" .. list (ours)
  KEYS[4] delayed          ZSET  delivery_tag, score due ms (ours)
  KEYS[5] delayed messages HASH  delivery_tag -> JSON {list, raw}
  KEYS[6] dead             HASH  id -> JSON dead-letter record
  KEYS[6+i] meta           STRING celery-task-meta-<id> of outcome i

  ARGV[1] meta expiry in seconds (0: none)
  then 8 per outcome i, from ARGV[2 + 8 * (i - 1)]:
    tag      delivery_tag
    token    our lease token
    meta     meta JSON, or '' to write none
    action   'ack' | 'keep' (state update, the message stays claimed) | 'delay' (park payload
             under parked tag until due ms) | 'push' (LPUSH payload to list, as a producer does)
             | 'requeue' (RPUSH: served next) | 'dead' (payload is the record)
    list
    payload
    due      (ms)
    parked   tag of the parked message

  Returns one code per outcome: 1 recorded, 2 recorded but the meta was left alone (a SUCCESS is
  there), -1 lease lost (nothing written for it).
]]
local ttl = tonumber(ARGV[1])

local function settle(metaKey, tag, token, meta, action, list, payload, due, parked)
  local held = redis.call('HGET', KEYS[3], tag)
  if not held or string.sub(held, 1, #token + 1) ~= token .. '|' then return -1 end

  if action ~= 'keep' then
    redis.call('HDEL', KEYS[1], tag)
    redis.call('ZREM', KEYS[2], tag)
    redis.call('HDEL', KEYS[3], tag)
  end

  local result = 1
  if meta ~= '' then
    local current = redis.call('GET', metaKey)
    local ok, stored = false, nil
    if current then ok, stored = pcall(cjson.decode, current) end
    if ok and type(stored) == 'table' and stored.status == 'SUCCESS' then
      result = 2
    else
      if ttl > 0 then
        redis.call('SET', metaKey, meta, 'EX', ttl)
      else
        redis.call('SET', metaKey, meta)
      end
      redis.call('PUBLISH', metaKey, meta)
    end
  end

  if action == 'delay' then
    redis.call('ZADD', KEYS[4], due, parked)
    redis.call('HSET', KEYS[5], parked, cjson.encode({ list = list, raw = payload }))
  elseif action == 'push' then
    redis.call('LPUSH', list, payload)
  elseif action == 'requeue' then
    redis.call('RPUSH', list, payload)
  elseif action == 'dead' then
    redis.call('HSET', KEYS[6], tag, payload)
  end
  return result
end

local out = {}
for i = 1, #KEYS - 6 do
  local a = 2 + 8 * (i - 1)
  out[i] = settle(KEYS[6 + i], ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4],
    ARGV[a + 5], ARGV[a + 6], ARGV[a + 7])
end
return out
