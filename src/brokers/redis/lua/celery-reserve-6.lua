--[[
  celeryReserve: claims up to ARGV[2] messages from kombu's Redis lists the way a Python Celery
  worker does (kombu.transport.redis: RPOP side of the list, then QoS.append), so Python's own
  visibility-timeout restore can bring back a message this worker loses, and ours brings back
  theirs. Before claiming, moves the messages we held back for their eta that are due to the
  front of their list. kombu's transport is single-node Redis only, so the list keys (and a
  parked message's list) need no hash tag.

  KEYS[1] unacked          HASH  delivery_tag -> JSON [message, exchange, routing_key] (kombu's)
  KEYS[2] unacked_index    ZSET  delivery_tag, score claim time in seconds (kombu's)
  KEYS[3] leases           HASH  delivery_tag -> token .. "|" .. list it came from (ours)
  KEYS[4] delayed          ZSET  delivery_tag, score due time in ms (ours)
  KEYS[5] delayed messages HASH  delivery_tag -> JSON {list, raw} (ours)
  KEYS[6] dead             HASH  id -> JSON dead-letter record (ours)
  KEYS[7..] queue lists in the order to serve them (kombu's: every queue's priority 0 list,
            then every queue's step 3, 6, 9)

  ARGV[1] now (ms)
  ARGV[2] max messages
  ARGV[3] token base (unique per call)

  Returns a flat array, 4 per claimed message: list, raw message, delivery_tag, token.
  A list entry that is not a kombu message is moved to `dead` with the reason, not returned.
]]
local now = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local base = ARGV[3]

local due = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, 1000)
for _, tag in ipairs(due) do
  local parked = redis.call('HGET', KEYS[5], tag)
  if parked then
    local p = cjson.decode(parked)
    redis.call('RPUSH', p.list, p.raw)
  end
  redis.call('HDEL', KEYS[5], tag)
  redis.call('ZREM', KEYS[4], tag)
end

local function field(t, name)
  if type(t) ~= 'table' then return nil end
  local v = t[name]
  if v == cjson.null then return nil end
  return v
end

local out = {}
local claimed = 0
local score = string.format('%.6f', now / 1000)
for i = 7, #KEYS do
  while claimed < max do
    local raw = redis.call('RPOP', KEYS[i])
    if not raw then break end
    local ok, msg = pcall(cjson.decode, raw)
    local props = ok and field(msg, 'properties') or nil
    local tag = field(props, 'delivery_tag')
    local token = base .. ':' .. claimed
    if type(tag) ~= 'string' or tag == '' then
      local record = cjson.encode({ reason = 'not a kombu message (no properties.delivery_tag)',
        list = KEYS[i], at = now, raw = raw })
      redis.call('HSET', KEYS[6], token, record)
    else
      local info = field(props, 'delivery_info')
      local ex = field(info, 'exchange') or ''
      local rk = field(info, 'routing_key') or ''
      -- Built around the raw text, not re-encoded: cjson would turn an empty list into {}.
      redis.call('HSET', KEYS[1], tag, '[' .. raw .. ', ' .. cjson.encode(ex) .. ', ' .. cjson.encode(rk) .. ']')
      redis.call('ZADD', KEYS[2], score, tag)
      redis.call('HSET', KEYS[3], tag, token .. '|' .. KEYS[i])
      out[#out + 1] = KEYS[i]
      out[#out + 1] = raw
      out[#out + 1] = tag
      out[#out + 1] = token
      claimed = claimed + 1
    end
  end
end
return out
