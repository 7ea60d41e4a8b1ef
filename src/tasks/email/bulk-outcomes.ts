import type { Json } from '../../core/json.ts'

/** What happened to one recipient: sent, rejected for good (5xx), or deferred (4xx / network). */
export interface RecipientOutcome {
  to: string
  status: 'sent' | 'rejected' | 'deferred'
  messageId?: string
  error?: string
}

/** Progress meta of an `email.bulk` run: the outcome per recipient so far, by address. */
export interface BulkProgress {
  total: number
  outcomes: Record<string, RecipientOutcome>
}

export function toProgressMeta(progress: BulkProgress): Json {
  return { bulk: progress as unknown as Json }
}

/**
 * Reads back what an earlier attempt recorded. Sent and rejected recipients are final; deferred
 * ones are not kept, so this attempt sends to them again. Anything unrecognised counts as nothing
 * recorded: the worst case is a duplicate email, never a lost one.
 */
export function finalOutcomes(meta: Json | null): Map<string, RecipientOutcome> {
  const done = new Map<string, RecipientOutcome>()
  const bulk = (meta as { bulk?: { outcomes?: unknown } } | null)?.bulk
  const outcomes = bulk?.outcomes
  if (typeof outcomes !== 'object' || outcomes === null) return done
  for (const [to, outcome] of Object.entries(outcomes as Record<string, RecipientOutcome>)) {
    if (outcome?.status === 'sent' || outcome?.status === 'rejected') done.set(to, outcome)
  }
  return done
}

export function countBy(outcomes: Iterable<RecipientOutcome>): Record<RecipientOutcome['status'], number> {
  const counts = { sent: 0, rejected: 0, deferred: 0 }
  for (const outcome of outcomes) counts[outcome.status]++
  return counts
}
