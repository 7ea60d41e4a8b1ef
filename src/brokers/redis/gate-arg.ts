import { gateOf, type TaskMessage } from '../../core/message.ts'

/**
 * A task's capped fairness group as the scripts take it, limit .. "|" .. gate, or "" when it has
 * none (see lua/lib/group-gate.lua).
 */
export function gateArg(m: TaskMessage): string {
  const limit = m.group?.limit
  return limit ? `${limit}|${gateOf(m.task, m.group?.key ?? null)}` : ''
}
