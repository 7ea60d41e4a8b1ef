import type { ControlMessage } from '../brokers/broker.ts'
import type { Config } from '../config/config-schema.ts'
import { redactConfig } from '../config/redact-config.ts'
import type { Json } from '../core/json.ts'
import type { TaskRegistry } from '../core/registry.ts'
import type { RateGate } from './rate-gate.ts'
import type { TimeLimitOverrides } from './time-limit-overrides.ts'

export interface ControlHandlerDeps {
  registry: TaskRegistry
  rateGate: RateGate
  timeLimits: TimeLimitOverrides
  /** What `inspect conf` shows (redacted here, so no caller can forget to); null: none was given. */
  config: Config | null
}

type Args = ControlMessage['args']

/** The reply to each control command a worker understands; `shutdown` is acted on by the caller. */
export class ControlHandler {
  constructor(private readonly deps: ControlHandlerDeps) {}

  reply(message: ControlMessage): Json {
    switch (message.command) {
      case 'ping':
        return { ok: 'pong' }
      case 'shutdown':
        return { ok: 'shutting down' }
      case 'rate_limit':
        return this.rateLimit(message.args)
      case 'time_limit':
        return this.timeLimit(message.args)
      case 'conf':
        return this.deps.config === null
          ? { error: 'this worker was started without a config to show' }
          : (redactConfig(this.deps.config) as Json)
      default:
        return { error: `unknown control command '${String(message.command)}'` }
    }
  }

  private rateLimit(args: Args): Json {
    const { task, limit } = args
    if (typeof task !== 'string' || !(limit === null || typeof limit === 'string')) {
      return { error: "rate_limit needs args { task: string, limit: string like '10/s' or null }" }
    }
    try {
      this.deps.rateGate.override(task, limit)
      return { ok: `rate limit of ${task} set to ${limit ?? 'its default'}` }
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) }
    }
  }

  /** Celery's args: the task name and the soft and hard limits in seconds (0: none). */
  private timeLimit(args: Args): Json {
    const { task, soft, hard } = args
    if (typeof task !== 'string' || !isSeconds(soft) || !isSeconds(hard)) {
      return { error: 'time_limit needs args { task: string, soft: seconds, hard: seconds } (0: none)' }
    }
    if (!this.deps.registry.get(task)) return { error: `unknown task '${task}'` }
    this.deps.timeLimits.set(task, Math.round(soft * 1000), Math.round(hard * 1000))
    const shown = (s: number) => (s > 0 ? `${s} s` : 'none')
    return { ok: `time limits of ${task} set: soft ${shown(soft)}, hard ${shown(hard)}` }
  }
}

function isSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}
