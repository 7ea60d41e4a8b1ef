import acquireLock from './lua/acquire-lock-1.lua' with { type: 'text' }
import acquireRate from './lua/acquire-rate-1.lua' with { type: 'text' }
import cleanupResults from './lua/cleanup-results-3.lua' with { type: 'text' }
import deleteSchedule from './lua/delete-schedule-2.lua' with { type: 'text' }
import enqueue from './lua/enqueue-4.lua' with { type: 'text' }
import extendLeases from './lua/extend-leases-1.lua' with { type: 'text' }
import heartbeat from './lua/heartbeat-2.lua' with { type: 'text' }
import joinGroup from './lua/join-group-1.lua' with { type: 'text' }
import groupGate from './lua/lib/group-gate.lua' with { type: 'text' }
import pruneWorkers from './lua/prune-workers-1.lua' with { type: 'text' }
import purge from './lua/purge-4.lua' with { type: 'text' }
import putSchedule from './lua/put-schedule-2.lua' with { type: 'text' }
import putWorkflow from './lua/put-workflow-1.lua' with { type: 'text' }
import queueStats from './lua/queue-stats-4.lua' with { type: 'text' }
import readSchedules from './lua/read-schedules-2.lua' with { type: 'text' }
import recoverExpired from './lua/recover-expired-5.lua' with { type: 'text' }
import releaseLock from './lua/release-lock-1.lua' with { type: 'text' }
import replyControl from './lua/reply-control-2.lua' with { type: 'text' }
import requeueDead from './lua/requeue-dead-5.lua' with { type: 'text' }
import reserve from './lua/reserve-5.lua' with { type: 'text' }
import revoke from './lua/revoke-5.lua' with { type: 'text' }
import saveScheduleState from './lua/save-schedule-state-2.lua' with { type: 'text' }
import sendControl from './lua/send-control-2.lua' with { type: 'text' }
import setState from './lua/set-state-2.lua' with { type: 'text' }
import settle from './lua/settle-6.lua' with { type: 'text' }

/** A script's `-- @include group-gate` line becomes the fair-sharing functions (Redis has no require). */
function withGate(lua: string): string {
  return lua.replace('-- @include group-gate', () => groupGate)
}

export interface ScriptSource {
  readonly lua: string
  readonly numberOfKeys: number
}

/**
 * Every Lua script, one atomic operation each, with its key count (the `-N` of its file name).
 * Engines register them by name: ioredis with defineCommand, an HTTP engine with EVALSHA and an
 * EVAL fallback. The scripts take `now` in ARGV and never read TIME, so a fake clock drives them.
 */
export const SCRIPTS = {
  acquireRate: { lua: acquireRate, numberOfKeys: 1 },
  acquireLock: { lua: acquireLock, numberOfKeys: 1 },
  deleteSchedule: { lua: deleteSchedule, numberOfKeys: 2 },
  putSchedule: { lua: putSchedule, numberOfKeys: 2 },
  readSchedules: { lua: readSchedules, numberOfKeys: 2 },
  releaseLock: { lua: releaseLock, numberOfKeys: 1 },
  saveScheduleState: { lua: saveScheduleState, numberOfKeys: 2 },
  cleanupResults: { lua: cleanupResults, numberOfKeys: 3 },
  enqueue: { lua: withGate(enqueue), numberOfKeys: 4 },
  extendLeases: { lua: extendLeases, numberOfKeys: 1 },
  heartbeat: { lua: heartbeat, numberOfKeys: 2 },
  joinGroup: { lua: joinGroup, numberOfKeys: 1 },
  pruneWorkers: { lua: pruneWorkers, numberOfKeys: 1 },
  purge: { lua: withGate(purge), numberOfKeys: 4 },
  putWorkflow: { lua: putWorkflow, numberOfKeys: 1 },
  queueStats: { lua: withGate(queueStats), numberOfKeys: 4 },
  recoverExpired: { lua: withGate(recoverExpired), numberOfKeys: 5 },
  replyControl: { lua: replyControl, numberOfKeys: 2 },
  requeueDead: { lua: withGate(requeueDead), numberOfKeys: 5 },
  reserve: { lua: withGate(reserve), numberOfKeys: 5 },
  revoke: { lua: withGate(revoke), numberOfKeys: 5 },
  sendControl: { lua: sendControl, numberOfKeys: 2 },
  setState: { lua: setState, numberOfKeys: 2 },
  settle: { lua: withGate(settle), numberOfKeys: 6 },
} as const satisfies Record<string, ScriptSource>

export type ScriptName = keyof typeof SCRIPTS
