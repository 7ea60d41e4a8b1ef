--[[
  celeryRecoverExpired: puts back claimed Celery messages whose claimer went silent, as kombu's
  QoS.restore_visible does: entry removed from unacked and unacked_index, message pushed to the
  pop end of its list (served next). A message claimed by one of our workers goes back to the
  list it came from once its lease is older than ARGV[1]; one claimed by a Python worker (no
  lease of ours) only past kombu's visibility timeout, ARGV[2], since Python never renews it.
  While a Python worker holds unacked_mutex (it is restoring), this round does nothing.

  KEYS[1] unacked        HASH  delivery_tag -> JSON [message, exchange, routing_key] (kombu's)
  KEYS[2] unacked_index  ZSET  delivery_tag, score claim time in seconds (kombu's)
  KEYS[3] leases         HASH  delivery_tag -> token .. "|" .. list (ours)
  KEYS[4] unacked_mutex  STRING (kombu's)

  ARGV[1] our lease horizon: scores at or below it are expired for our claims (seconds)
  ARGV[2] kombu's horizon: now - visibility timeout (seconds)
  ARGV[3] at most this many per call

  Returns the delivery tags restored.
]]
if redis.call('EXISTS', KEYS[4]) == 1 then return {} end

-- The message inside a kombu unacked entry, cut out of the text as it is (not re-encoded).
local function firstElement(s)
  local start = string.find(s, '{', 1, true)
  if not start then return nil end
  local depth, inString, escaped = 0, false, false
  for i = start, #s do
    local c = string.byte(s, i)
    if inString then
      if escaped then escaped = false
      elseif c == 92 then escaped = true
      elseif c == 34 then inString = false end
    elseif c == 34 then inString = true
    elseif c == 123 then depth = depth + 1
    elseif c == 125 then
      depth = depth - 1
      if depth == 0 then return string.sub(s, start, i) end
    end
  end
  return nil
end

-- kombu's routing for a restore: the routing key itself for the default exchange, else the
-- queues bound to the exchange with that routing key (members "rk\6\22pattern\6\22queue").
local function route(ex, rk)
  if ex == nil or ex == cjson.null or ex == '' then return { rk } end
  local queues = {}
  for _, member in ipairs(redis.call('SMEMBERS', '_kombu.binding.' .. ex)) do
    local first = string.find(member, '\6\22', 1, true)
    local last = first and string.find(member, '\6\22', first + 2, true)
    if first and last and string.sub(member, 1, first - 1) == rk then
      queues[#queues + 1] = string.sub(member, last + 2)
    end
  end
  if #queues == 0 then queues[1] = rk end
  return queues
end

local restored = {}
local tags = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, tag in ipairs(tags) do
  local held = redis.call('HGET', KEYS[3], tag)
  local score = tonumber(redis.call('ZSCORE', KEYS[2], tag))
  if held or score <= tonumber(ARGV[2]) then
    local entry = redis.call('HGET', KEYS[1], tag)
    redis.call('HDEL', KEYS[1], tag)
    redis.call('ZREM', KEYS[2], tag)
    redis.call('HDEL', KEYS[3], tag)
    if entry then
      local message = firstElement(entry)
      local ok, decoded = pcall(cjson.decode, entry)
      if message and ok then
        local lists
        if held then
          lists = { string.sub(held, string.find(held, '|', 1, true) + 1) }
        else
          lists = route(decoded[2], decoded[3])
        end
        for _, list in ipairs(lists) do redis.call('RPUSH', list, message) end
      end
    end
    restored[#restored + 1] = tag
  end
end
return restored
