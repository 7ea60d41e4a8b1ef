--[[
  group-gate: fair sharing of a queue between the keys of fairly shared tasks (tenants), pasted
  into the scripts that move such tasks (see scripts.ts). A shared task's hash carries `gk` (its
  gate: task name .. "|" .. key) and `gl` (the most of that gate running at once).

  Per queue, beside the queue's own keys (same hash tag, derived from the ready key's name):
    <tag>:g:a:<gate>  SET   the gate's admitted tasks: in ready or leased (its slots in use)
    <tag>:g:w:<gate>  ZSET  the gate's due tasks waiting for a slot, score like ready's
    <tag>:g:keys      SET   gates with admitted or waiting tasks (purge walks it)
    <tag>:g:inline    STRING how many tasks wait in all the queue's lines (stats read it in O(1))

  A task holds a slot from admission until it ends or leaves for later (a retry or a delayed
  release), so the cap holds across every worker. An admitted task enters ready stamped with the
  time of its admission, not its enqueue: a key with a long backlog gets its next slot behind
  the other keys' tasks already waiting, so keys take turns within a priority.
]]
local GATE_BAND = 17592186044416

local function gatePrefix(readyKey)
  return string.sub(readyKey, 1, #readyKey - #'ready') .. 'g:'
end

-- A due task of a gate: into ready when its gate has a free slot, else into the gate's waiting set.
-- Returns 1 when it went to ready (the caller wakes a reserver), else 0.
local function gateAdmit(readyKey, id, gate, limit, priority, runAt, stamp)
  local g = gatePrefix(readyKey)
  local admitted = g .. 'a:' .. gate
  redis.call('SADD', g .. 'keys', gate)
  if redis.call('SCARD', admitted) < limit then
    redis.call('SADD', admitted, id)
    redis.call('ZADD', readyKey, (9 - priority) * GATE_BAND + stamp, id)
    return 1
  end
  if redis.call('ZADD', g .. 'w:' .. gate, (9 - priority) * GATE_BAND + runAt, id) == 1 then
    redis.call('INCR', g .. 'inline')
  end
  return 0
end

-- A task gave its slot back (ended, or left for later): the gate's next waiting tasks take the free
-- slots, entering ready at `now`. Returns how many went to ready.
local function gateVacate(readyKey, id, gate, limit, now)
  local g = gatePrefix(readyKey)
  local admitted, waiting = g .. 'a:' .. gate, g .. 'w:' .. gate
  redis.call('SREM', admitted, id)
  local moved = 0
  local free = limit - redis.call('SCARD', admitted)
  if free > 0 then
    local popped = redis.call('ZPOPMIN', waiting, free)
    for i = 1, #popped, 2 do
      local band = math.floor(tonumber(popped[i + 1]) / GATE_BAND)
      redis.call('SADD', admitted, popped[i])
      redis.call('ZADD', readyKey, band * GATE_BAND + now, popped[i])
      moved = moved + 1
    end
    if moved > 0 then redis.call('DECRBY', g .. 'inline', moved) end
  end
  if redis.call('SCARD', admitted) == 0 and redis.call('ZCARD', waiting) == 0 then
    redis.call('SREM', g .. 'keys', gate)
  end
  return moved
end

-- Takes a task out of its gate wherever it is (revoke, purge): its slot, or its place in line.
local function gateForget(readyKey, id, gate, limit, now)
  local g = gatePrefix(readyKey)
  if redis.call('ZREM', g .. 'w:' .. gate, id) == 1 then redis.call('DECR', g .. 'inline') end
  return gateVacate(readyKey, id, gate, limit, now)
end
