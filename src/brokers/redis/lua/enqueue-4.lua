--[[
  enqueue: stores a batch of tasks of one queue atomically.
  A live idempotency key, or an id already stored, yields the existing id instead (not created).
  An idempotency key is scoped to its task name: the key stored is prefix .. name .. "|" .. key
  (a task name has no "|"), so one key used with two tasks makes two tasks.
  A unique key (same scoping) yields the task it names while that task is queued or running
  (its hash exists and its state is not final), or until its `until` time, whichever is later.

  KEYS[1] ready    ZSET  due tasks, score (9 - priority) * 2^44 + runAt
  KEYS[2] delayed  ZSET  tasks waiting for their ETA, score runAt
  KEYS[3] all      ZSET  every stored task, score createdAt
  KEYS[4] signal   LIST  wake-up tokens for blocked reservers

  ARGV[1] task key prefix (same hash tag as KEYS)
  ARGV[2] idempotency key prefix (same hash tag)
  ARGV[3] now (ms, from the broker's clock)
  ARGV[4] idempotency window (ms)
  ARGV[5] unique key prefix (same hash tag)
  ARGV[6..] per task: id, task name, priority, message JSON, then "" for a task without options
            (the common case: five arguments in all), or "6" followed by its six options: eta or "",
            expires or "", idempotency key or "", unique key or "", unique until (ms) or "", gate
            (limit .. "|" .. gate) or "". Every argument a Lua string costs the script, so a plain
            task does not carry six empty ones.

  A task with a gate (a fairly shared task with a concurrency cap, see lib/group-gate.lua) that is
  due goes to ready only while its gate has a free slot, else it waits in its gate's line.

  Returns one entry per task, in order: 1 when created, else the id of the existing task.

  Every stored task has an `all` entry (cleanup removes both together), so one ZMSCORE per batch
  finds the ids already taken; only those few are checked against their hash (it may have expired).
]]
local taskPrefix, idemPrefix, uniquePrefix = ARGV[1], ARGV[2], ARGV[5]
local nowText = ARGV[3]
local now, window = tonumber(nowText), tonumber(ARGV[4])
local BAND = 17592186044416 -- 2^44: one score band per priority
local SIGNAL_CAP = 64
local FIRST = 6
-- A unique key outlives its task's end by its `until`, and a queued task by this much at least:
-- past it a task still queued no longer holds its key (a stale key costs memory, nothing else).
local UNIQUE_HOLD_MS = 30 * 24 * 3600 * 1000
local FINAL = { SUCCESS = true, FAILURE = true, REVOKED = true }

-- Numbers passed to redis.call are sent exactly (%.17g); only `..` would round them (%.14g).
local function fmt(n) return string.format('%d', n) end

-- unpack() is limited to a few thousand values: send long lists in slices (pairs stay whole).
local function bulk(command, key, list)
  for i = 1, #list, 1000 do
    redis.call(command, key, unpack(list, i, math.min(i + 999, #list)))
  end
end

-- @include group-gate

local out, ready, delayed, all = {}, {}, {}, {}
-- Counted as they grow: `#t` searches the table on every append.
local admitted, nReady, nAll = 0, 0, 0

-- Ids with an `all` entry (taken unless their hash expired), plus the ones stored by this call.
local taken = {}
-- Where each task's arguments start: five for a plain task, eleven for one with options.
local starts = {}
do
  local i = FIRST
  while i <= #ARGV do
    starts[#starts + 1] = i
    i = i + (ARGV[i + 4] == '' and 5 or 11)
  end
end

local function findTaken()
  local ids = {}
  for n, i in ipairs(starts) do ids[n] = ARGV[i] end
  for i = 1, #ids, 1000 do
    local last = math.min(i + 999, #ids)
    local scores = redis.call('ZMSCORE', KEYS[3], unpack(ids, i, last))
    for j = i, last do
      if scores[j - i + 1] then taken[ids[j]] = true end
    end
  end
end

local function existing(name, idemKey)
  if idemKey == '' then return nil end
  local v = redis.call('GET', idemPrefix .. name .. '|' .. idemKey)
  if not v then return nil end
  local bar = string.find(v, '|', 1, true)
  if tonumber(string.sub(v, bar + 1)) > now then return string.sub(v, 1, bar - 1) end
  return nil
end

local function liveUnique(name, uniqueKey)
  if uniqueKey == '' then return nil end
  local v = redis.call('GET', uniquePrefix .. name .. '|' .. uniqueKey)
  if not v then return nil end
  local bar = string.find(v, '|', 1, true)
  local id = string.sub(v, 1, bar - 1)
  if tonumber(string.sub(v, bar + 1)) > now then return id end
  local state = redis.call('HGET', taskPrefix .. id, 's')
  if state and not FINAL[state] then return id end
  return nil
end

local function store(id, name, priority, eta, expires, idemKey, uniqueKey, uniqueUntil, gate, message)
  local key = taskPrefix .. id
  if taken[id] and redis.call('EXISTS', key) == 1 then return id end
  taken[id] = true
  -- Times go to Redis as the text they came in: a Lua number would be formatted again per call.
  local runAt, runAtText = now, nowText
  if eta ~= '' then runAt, runAtText = tonumber(eta), eta end
  redis.call('HSET', key, 'm', message, 'n', name, 'p', priority, 's', 'PENDING', 'c', nowText, 'ra', runAtText)
  if expires ~= '' then redis.call('HSET', key, 'ex', expires) end
  local bar = gate ~= '' and string.find(gate, '|', 1, true)
  if bar then
    local limit, gk = string.sub(gate, 1, bar - 1), string.sub(gate, bar + 1)
    redis.call('HSET', key, 'gk', gk, 'gl', limit)
    if runAt <= now then
      admitted = admitted + gateAdmit(KEYS[1], id, gk, tonumber(limit), tonumber(priority), runAt, now)
    end
  end
  if runAt > now then
    delayed[#delayed + 1] = runAtText
    delayed[#delayed + 1] = id
  elseif not bar then
    nReady = nReady + 2
    ready[nReady - 1] = (9 - tonumber(priority)) * BAND + runAt
    ready[nReady] = id
  end
  nAll = nAll + 2
  all[nAll - 1] = nowText
  all[nAll] = id
  if idemKey ~= '' then
    redis.call('SET', idemPrefix .. name .. '|' .. idemKey, id .. '|' .. fmt(now + window), 'PX', window)
  end
  if uniqueKey ~= '' then
    local untilMs = tonumber(uniqueUntil)
    local hold = math.max(untilMs - now, UNIQUE_HOLD_MS)
    redis.call('SET', uniquePrefix .. name .. '|' .. uniqueKey, id .. '|' .. fmt(untilMs), 'PX', fmt(hold))
  end
  return 1
end

findTaken()
for n, i in ipairs(starts) do
  local id, name, priority, message = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  if ARGV[i + 4] == '' then
    out[n] = store(id, name, priority, '', '', '', '', '', '', message)
  else
    local idemKey, uniqueKey = ARGV[i + 7], ARGV[i + 8]
    local found = nil
    if idemKey ~= '' or uniqueKey ~= '' then found = existing(name, idemKey) or liveUnique(name, uniqueKey) end
    out[n] = found
      or store(id, name, priority, ARGV[i + 5], ARGV[i + 6], idemKey, uniqueKey, ARGV[i + 9], ARGV[i + 10], message)
  end
end

if #ready > 0 then bulk('ZADD', KEYS[1], ready) end
if #ready > 0 or admitted > 0 then
  local room = SIGNAL_CAP - redis.call('LLEN', KEYS[4])
  local wake = math.min(room, #ready / 2 + admitted)
  if wake > 0 then
    local tokens = {}
    for i = 1, wake do tokens[i] = '1' end
    redis.call('LPUSH', KEYS[4], unpack(tokens))
  end
end
if #delayed > 0 then bulk('ZADD', KEYS[2], delayed) end
if #all > 0 then bulk('ZADD', KEYS[3], all) end
return out
