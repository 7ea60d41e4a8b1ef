--[[
  settle: records a batch of outcomes of one queue, each fenced by its lease: the `leases` member
  id .. "|" .. token, checked for the whole batch with one ZMSCORE (no per-task read), or for a
  batch of one by removing it. A settled lease leaves the set, so nothing can overwrite a SUCCESS.

  KEYS[1] ready    ZSET  score (9 - priority) * 2^44 + runAt
  KEYS[2] delayed  ZSET  score runAt
  KEYS[3] leases   ZSET  member id .. "|" .. token, score lease expiry
  KEYS[4] done     ZSET  score result expiry
  KEYS[5] dead     ZSET  score dead-letter expiry
  KEYS[6] signal   LIST  wake-up tokens

  ARGV[1] task key prefix
  ARGV[2] now (ms)
  ARGV[3] result ttl (ms)
  ARGV[4] dead-letter ttl (ms)
  ARGV[5..] 7 per settlement: kind, id, token, gate (limit .. "|" .. gate) or "", a1, a2, a3
    ack      a1 result JSON or "" (none), a2 runtime ms, a3 the task's own result ttl (ms) or ""
             for ARGV[3] (a token ending ":s" drops an older error or result, see reserve-5.lua)
    retry    a1 at (ms), a2 error JSON
    fail     a1 error JSON, a2 dead reason, a3 runtime ms or ""
    revoked  a1 reason
    release  a1 "1" when the attempt started, a2 at (ms) or ""

  Every recorded settlement writes token .. "|" .. kind to the task's `sl` field, so a resend of it
  (the first reply was lost) is told apart from a lease another worker took over.

  A fairly shared task (lib/group-gate.lua) gives its slot to the next of its gate when it ends or
  leaves for later (delayed); one requeued as due keeps its slot.

  Returns one entry per settlement: 1 recorded; 2 the same outcome was already recorded by this
  lease, 3 another outcome was (nothing written for either); 0 lease lost; -1 unknown kind.
]]
local prefix, nowText = ARGV[1], ARGV[2]
local now, resultTtl, deadTtl = tonumber(nowText), tonumber(ARGV[3]), tonumber(ARGV[4])
local BAND = 17592186044416
local SIGNAL_CAP = 64

-- Numbers passed to redis.call are sent exactly (%.17g); only `..` would round them (%.14g).

-- unpack() is limited to a few thousand values: send long lists in slices (pairs stay whole).
local function bulk(command, key, list)
  for i = 1, #list, 1000 do
    redis.call(command, key, unpack(list, i, math.min(i + 999, #list)))
  end
end

-- @include group-gate

local FAIL_DROP = { 'rt' }
local out, leasesDone, done, dead = {}, {}, {}, {}
local woke, nDone = 0, 0

-- Times and ttls go to Redis as text, formatted once per ttl: a Lua number handed to redis.call
-- is formatted again on every call, and nearly every task of a batch shares the default ttl.
local ttlTexts, expiryTexts = {}, {}
local function textsOf(ttl)
  local text = ttlTexts[ttl]
  if not text then
    text = string.format('%d', ttl)
    ttlTexts[ttl] = text
    expiryTexts[ttl] = string.format('%d', now + ttl)
  end
  return text, expiryTexts[ttl]
end

local function addDone(expiresAt, id)
  nDone = nDone + 2
  done[nDone - 1] = expiresAt
  done[nDone] = id
end

-- Ends a task: state, finish time and result expiry set, `drop` fields removed.
local function finish(key, id, ttl, drop, state, ...)
  local ttlText, expiresAt = textsOf(ttl)
  redis.call('HSET', key, 's', state, 'fa', nowText, 'x', expiresAt, ...)
  if drop then redis.call('HDEL', key, unpack(drop)) end
  redis.call('PEXPIRE', key, ttlText)
  addDone(expiresAt, id)
  return expiresAt
end

-- The hot path: one HSET and one PEXPIRE, plus an HDEL only when an older error or result must go.
local function succeed(key, id, result, runtime, ttl, stale, mark)
  local ttlText, expiresAt = textsOf(ttl)
  if result == '' then
    redis.call('HSET', key, 's', 'SUCCESS', 'fa', nowText, 'x', expiresAt, 'rt', runtime, 'sl', mark)
  else
    redis.call('HSET', key, 's', 'SUCCESS', 'fa', nowText, 'x', expiresAt, 'rt', runtime, 'res', result, 'sl', mark)
  end
  if stale then
    if result == '' then redis.call('HDEL', key, 'err', 'res') else redis.call('HDEL', key, 'err') end
  end
  redis.call('PEXPIRE', key, ttlText)
  addDone(expiresAt, id)
end

-- Back to the queue: due now goes to ready (and wakes a reserver), later to delayed (then true).
local function requeue(key, id, runAt)
  if runAt > now then
    redis.call('ZADD', KEYS[2], runAt, id)
    return true
  else
    local priority = redis.call('HGET', key, 'p')
    redis.call('ZADD', KEYS[1], (9 - tonumber(priority)) * BAND + runAt, id)
    woke = woke + 1
    return false
  end
end

-- Each handler answers whether the task gave up its slot (ended or went to delayed).
local handlers = {
  ack = function(key, id, a1, a2, a3, stale, token)
    succeed(key, id, a1, a2, a3 == '' and resultTtl or tonumber(a3), stale, token .. '|ack')
    return true
  end,
  retry = function(key, id, a1, a2)
    redis.call('HSET', key, 's', 'RETRY', 'ra', a1, 'err', a2)
    redis.call('HINCRBY', key, 'r', 1)
    return requeue(key, id, tonumber(a1))
  end,
  fail = function(key, id, a1, a2, a3)
    local expiresAt
    if a3 == '' then
      expiresAt = finish(key, id, deadTtl, FAIL_DROP, 'FAILURE', 'err', a1, 'dr', a2)
    else
      expiresAt = finish(key, id, deadTtl, nil, 'FAILURE', 'err', a1, 'dr', a2, 'rt', a3)
    end
    dead[#dead + 1] = expiresAt
    dead[#dead + 1] = id
    return true
  end,
  revoked = function(key, id, a1)
    local err = '{"type":"TaskRevokedError","message":"task ' .. a1 .. '","stack":null,"code":"REVOKED"}'
    finish(key, id, resultTtl, nil, 'REVOKED', 'err', err)
    return true
  end,
  release = function(key, id, a1, a2)
    if a1 ~= '1' then redis.call('HINCRBY', key, 'a', -1) end
    redis.call('HSET', key, 's', 'PENDING')
    redis.call('HDEL', key, 'w')
    local runAt
    if a2 ~= '' then
      redis.call('HSET', key, 'ra', a2)
      runAt = tonumber(a2)
    else
      runAt = tonumber(redis.call('HGET', key, 'ra'))
    end
    return requeue(key, id, runAt)
  end,
}

-- A gated task that gave up its slot hands it to the next of its gate.
local function passSlot(id, gate)
  local bar = string.find(gate, '|', 1, true)
  woke = woke + gateVacate(KEYS[1], id, string.sub(gate, bar + 1), tonumber(string.sub(gate, 1, bar - 1)), now)
end

-- Which leases are still held: one ZMSCORE per slice of the batch. A batch of one (a worker at
-- concurrency 1) of a known kind checks and removes its lease with one ZREM instead of a ZMSCORE
-- and a ZREM (an unknown kind must leave the lease as it is).
local members, held, settled = {}, {}, {}
for i = 5, #ARGV, 7 do members[#members + 1] = ARGV[i + 1] .. '|' .. ARGV[i + 2] end
local single = #members == 1 and handlers[ARGV[5]] ~= nil
if single then
  held[1] = redis.call('ZREM', KEYS[3], members[1]) == 1
else
  for i = 1, #members, 1000 do
    local last = math.min(i + 999, #members)
    local scores = redis.call('ZMSCORE', KEYS[3], unpack(members, i, last))
    for j = i, last do held[j] = scores[j - i + 1] and true or false end
  end
end

for i = 5, #ARGV, 7 do
  local n = (i - 5) / 7 + 1
  local handler = handlers[ARGV[i]]
  local id, token = ARGV[i + 1], ARGV[i + 2]
  if not handler then
    out[#out + 1] = -1
  elseif not held[n] or settled[members[n]] then
    -- Rare path (a resend or a lost lease): one read tells which.
    local mark = redis.call('HGET', prefix .. id, 'sl')
    if mark == token .. '|' .. ARGV[i] then
      out[#out + 1] = 2
    elseif mark and string.sub(mark, 1, #token + 1) == token .. '|' then
      out[#out + 1] = 3
    else
      out[#out + 1] = 0
    end
  else
    settled[members[n]] = true
    local key = prefix .. id
    local stale = string.sub(token, -2) == ':s'
    local left = handler(key, id, ARGV[i + 4], ARGV[i + 5], ARGV[i + 6], stale, token)
    if left and ARGV[i + 3] ~= '' then passSlot(id, ARGV[i + 3]) end
    if ARGV[i] ~= 'ack' then redis.call('HSET', key, 'sl', token .. '|' .. ARGV[i]) end
    -- A batch of one removed its lease already, with the check.
    if not single then leasesDone[#leasesDone + 1] = members[n] end
    out[#out + 1] = 1
  end
end

if #leasesDone > 0 then bulk('ZREM', KEYS[3], leasesDone) end
if nDone > 0 then bulk('ZADD', KEYS[4], done) end
if #dead > 0 then bulk('ZADD', KEYS[5], dead) end
if woke > 0 then
  local wake = math.min(SIGNAL_CAP - redis.call('LLEN', KEYS[6]), woke)
  for _ = 1, wake do redis.call('LPUSH', KEYS[6], '1') end
end
return out
