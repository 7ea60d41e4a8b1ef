import type { BrokerAdmin, ControlCommand, ControlReply } from '../brokers/broker.ts'
import type { Config } from '../config/config-schema.ts'
import type { Json } from '../core/json.ts'
import { offlineAfterMs } from './status-command.ts'

const POLL_MS = 100

export interface WorkerQuestion {
  command: ControlCommand
  args: Record<string, Json>
  /** null: every worker online. */
  target: string | null
  timeoutMs: number
}

/**
 * Sends a control command and collects the replies until the timeout, or earlier once every
 * worker that should answer has: the target, or every worker online when the command went out.
 */
export async function askWorkers(
  broker: BrokerAdmin,
  config: Config,
  question: WorkerQuestion,
): Promise<ControlReply[]> {
  const { command, args, target, timeoutMs } = question
  const online = (await broker.listWorkers(offlineAfterMs(config))).filter((w) => w.online).map((w) => w.name)
  const expected = new Set(target === null ? online : [target])
  const seq = await broker.sendControl(command, target, args)
  const deadline = Date.now() + timeoutMs
  const replies = new Map<string, ControlReply>()
  for (;;) {
    for (const reply of await broker.readReplies(seq)) replies.set(reply.worker, reply)
    const everyone = expected.size > 0 && [...expected].every((name) => replies.has(name))
    if (everyone || Date.now() >= deadline) return [...replies.values()]
    await Bun.sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())))
  }
}
