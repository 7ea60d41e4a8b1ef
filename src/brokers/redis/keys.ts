import { CeleriacError } from '../../core/errors.ts'

/** The keys of one queue: all share the hash tag `{prefix:q:name}`, so one script touches one slot. */
export interface QueueKeys {
  readonly queue: string
  /** Due tasks, score (9 - priority) * 2^44 + runAt: highest priority first, then waited longest. */
  readonly ready: string
  /** Tasks waiting for an ETA or a retry time, score runAt. */
  readonly delayed: string
  /** Leased tasks, score lease expiry. */
  readonly leases: string
  /** Finished tasks, score result expiry (cleanup walks it). */
  readonly done: string
  /** Dead letters, score expiry. */
  readonly dead: string
  /** Every stored task, score createdAt (listTasks walks it newest first). */
  readonly all: string
  /** Wake-up tokens for reservers blocked on this queue. */
  readonly signal: string
  /** Prefix of task hashes: the Lua scripts append the task id (same hash tag, same slot). */
  readonly taskPrefix: string
  /** Prefix of idempotency keys: the enqueue script appends the key. */
  readonly idempotencyPrefix: string
  /** Prefix of unique-task keys: the enqueue script appends the task name and key. */
  readonly uniquePrefix: string
  task(id: string): string
}

/**
 * The only place Redis keys are built. Queue keys live under a per-queue hash tag; each global
 * thing (queue registry, revocations, events, workers, control, each rate bucket) has its own tag,
 * so no script ever mixes a queue's slot with a global one.
 */
export class RedisKeys {
  /** Names of every queue that ever received a task (getResult and stats look through them). */
  readonly queues: string
  /** Revocations by task id, score the time of the revoke. */
  readonly revoked: string
  /** Written by ping() to prove the server accepts writes. */
  readonly probe: string
  /** The capped event stream. */
  readonly events: string
  readonly workerIndex: string
  readonly workerPrefix: string
  readonly controlSeq: string
  readonly controlLog: string
  /** Beat's entries (name -> definition) and their run state, in one slot of their own. */
  readonly schedules: string
  readonly scheduleStates: string
  private readonly queueCache = new Map<string, QueueKeys>()

  constructor(readonly prefix: string) {
    if (prefix === '' || /[{}]/.test(prefix)) {
      throw new CeleriacError(
        'CONFIG',
        `redis broker: key prefix '${prefix}' must be non-empty, without braces`,
      )
    }
    const global = `{${prefix}}`
    this.queues = `${global}:queues`
    this.revoked = `${global}:revoked`
    this.probe = `${global}:probe`
    this.events = `{${prefix}:events}`
    this.workerIndex = `{${prefix}:workers}:index`
    this.workerPrefix = `{${prefix}:workers}:w:`
    this.controlSeq = `{${prefix}:control}:seq`
    this.controlLog = `{${prefix}:control}:log`
    this.schedules = `{${prefix}:beat}:schedules`
    this.scheduleStates = `{${prefix}:beat}:states`
  }

  queue(name: string): QueueKeys {
    const known = this.queueCache.get(name)
    if (known) return known
    const tag = `{${this.prefix}:q:${name}}`
    const taskPrefix = `${tag}:t:`
    const keys: QueueKeys = {
      queue: name,
      ready: `${tag}:ready`,
      delayed: `${tag}:delayed`,
      leases: `${tag}:leases`,
      done: `${tag}:done`,
      dead: `${tag}:dead`,
      all: `${tag}:all`,
      signal: `${tag}:signal`,
      taskPrefix,
      idempotencyPrefix: `${tag}:i:`,
      uniquePrefix: `${tag}:u:`,
      task: (id) => `${taskPrefix}${id}`,
    }
    this.queueCache.set(name, keys)
    return keys
  }

  worker(name: string): string {
    return `${this.workerPrefix}${name}`
  }

  controlReplies(seq: number): string {
    return `{${this.prefix}:control}:r:${seq}`
  }

  /** A workflow's planned tree, in a slot of its own. */
  workflow(id: string): string {
    return `{${this.prefix}:wf:${id}}:tree`
  }

  /** A workflow group's finished members, in a slot of its own (one script touches it). */
  join(group: string): string {
    return `{${this.prefix}:wf:${group}}:join`
  }

  /** A named lease (beat's leader lock), in a slot of its own. */
  lock(name: string): string {
    return `{${this.prefix}:lock:${name}}`
  }

  rate(key: string): string {
    return `{${this.prefix}:rate:${key}}`
  }

  /** Glob matching every key of this prefix (tests and tooling delete with it). */
  pattern(): string {
    return `{${this.prefix}[:}]*`
  }
}
