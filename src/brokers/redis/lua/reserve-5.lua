--[[
  reserve: claims up to max due tasks of one queue and records their leases, in one atomic step
  (no crash point between claim and lease). Due delayed tasks are promoted first; revoked or
  expired tasks met on the way are finalised as REVOKED and not returned.

  KEYS[1] ready    ZSET  score (9 - priority) * 2^44 + runAt
  KEYS[2] delayed  ZSET  score runAt
  KEYS[3] leases   ZSET  member id .. "|" .. token, score lease expiry (the token lives only here)
  KEYS[4] done     ZSET  score result expiry
  KEYS[5] signal   LIST  wake-up tokens

  ARGV[1] task key prefix
  ARGV[2] now (ms), or "" for the server's TIME: a claim sent behind a blocking wait runs when
          the wait ends, so only the server knows its `now` (the caller's clock is wall time)
  ARGV[3] max tasks to claim
  ARGV[4] lease duration (ms)
  ARGV[5] worker name
  ARGV[6] token base: random per call; each lease token is base .. ":" .. n
  ARGV[7] result ttl (ms), for tasks finalised as REVOKED

  A fairly shared task (lib/group-gate.lua) promoted from delayed asks its gate for a slot; one
  finalised here gives its slot to the next of its gate.

  Returns { claimed, revoked, nextDue, now }
    claimed  6 per task: id, message JSON, attempt, retries, redelivered (1/0), lease token
             (base:n, suffixed ":s" when an older error or result must go when it succeeds)
    revoked  3 per task: id, task name, reason ("revoked" | "expired")
    nextDue  earliest runAt of a delayed task when this claim found ready empty, else ""
]]
local prefix, now, max = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
if ARGV[2] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local nowText = string.format('%d', now)
-- Formatted once: a Lua number handed to redis.call is formatted again on every call.
local leaseUntil = string.format('%d', now + tonumber(ARGV[4]))
local worker, base, ttl = ARGV[5], ARGV[6], tonumber(ARGV[7])
local BAND = 17592186044416
local PROMOTE_LIMIT = 1000

-- Numbers passed to redis.call are sent exactly (%.17g); only `..` would round them (%.14g).

-- unpack() is limited to a few thousand values: send long lists in slices (pairs stay whole).
local function bulk(command, key, list)
  for i = 1, #list, 1000 do
    redis.call(command, key, unpack(list, i, math.min(i + 999, #list)))
  end
end

-- @include group-gate

local function promote()
  local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', nowText, 'WITHSCORES', 'LIMIT', 0, PROMOTE_LIMIT)
  if #due == 0 then return end
  local adds, ids = {}, {}
  for i = 1, #due, 2 do
    local f = redis.call('HMGET', prefix .. due[i], 'p', 'gk', 'gl')
    if f[2] then
      gateAdmit(KEYS[1], due[i], f[2], tonumber(f[3]), tonumber(f[1]), tonumber(due[i + 1]), now)
    elseif f[1] then
      adds[#adds + 1] = (9 - tonumber(f[1])) * BAND + tonumber(due[i + 1])
      adds[#adds + 1] = due[i]
    end
    ids[#ids + 1] = due[i]
  end
  if #adds > 0 then redis.call('ZADD', KEYS[1], unpack(adds)) end
  redis.call('ZREM', KEYS[2], unpack(ids))
end

local function finalise(key, reason)
  local expiresAt = now + ttl
  local err = '{"type":"TaskRevokedError","message":"task ' .. reason .. '","stack":null,"code":"REVOKED"}'
  redis.call('HSET', key, 's', 'REVOKED', 'err', err, 'fa', nowText, 'x', expiresAt)
  redis.call('PEXPIRE', key, ttl)
  return expiresAt
end

promote()
local claimed, revoked, leases, done = {}, {}, {}, {}
-- Counted as they grow: `#t` searches the table on every append.
local want, n, nClaimed = max, 0, 0
-- A pop that came back short emptied ready: no ZCARD needed to know it, and no second pop.
local drained = false
while want > 0 do
  local asked = want
  local popped = redis.call('ZPOPMIN', KEYS[1], asked)
  local finalised = false
  for i = 1, #popped, 2 do
    local id = popped[i]
    local key = prefix .. id
    local f = redis.call('HMGET', key, 'm', 'ex', 'rk', 'r', 'rv', 'n', 'a', 'err', 'res', 'gk', 'gl')
    if f[1] then
      local reason = nil
      if f[3] then reason = 'revoked' elseif f[2] and tonumber(f[2]) <= now then reason = 'expired' end
      if reason then
        finalised = true
        if f[10] then gateVacate(KEYS[1], id, f[10], tonumber(f[11]), now) end
        done[#done + 1] = finalise(key, reason)
        done[#done + 1] = id
        revoked[#revoked + 1] = id
        revoked[#revoked + 1] = f[6]
        revoked[#revoked + 1] = reason
      else
        n = n + 1
        local attempt = tonumber(f[7] or '0') + 1
        local token = base .. ':' .. n
        if f[8] or f[9] then token = token .. ':s' end
        redis.call('HSET', key, 's', 'RECEIVED', 'a', attempt, 'w', worker, 'sa', nowText)
        if f[5] then redis.call('HDEL', key, 'rv') end
        leases[2 * n - 1] = leaseUntil
        leases[2 * n] = id .. '|' .. token
        claimed[nClaimed + 1] = id
        claimed[nClaimed + 2] = f[1]
        claimed[nClaimed + 3] = attempt
        claimed[nClaimed + 4] = tonumber(f[4] or '0')
        claimed[nClaimed + 5] = f[5] and 1 or 0
        claimed[nClaimed + 6] = token
        nClaimed = nClaimed + 6
        want = want - 1
      end
    end
  end
  -- A finalised task may have handed its gate's slot on (into ready): pop once more to see.
  if #popped < 2 * asked and not finalised then
    drained = true
    break
  end
end
if #leases > 0 then bulk('ZADD', KEYS[3], leases) end
if #done > 0 then bulk('ZADD', KEYS[4], done) end

-- A claim that filled `want` leaves the signal alone: the next claim sees whether ready is empty.
local nextDue = ''
if drained then
  -- Nothing left to signal: blocked reservers must wait for the next enqueue.
  redis.call('DEL', KEYS[5])
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  if #first > 0 then nextDue = first[2] end
end
return { claimed, revoked, nextDue, nowText }
