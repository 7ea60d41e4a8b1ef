/** kombu's separator between a queue name and its priority step: `celery\x06\x163`. */
const PRIORITY_SEPARATOR = '\x06\x16'
/** kombu.transport.redis PRIORITY_STEPS: a message of priority n goes to the highest step <= n. */
const PRIORITY_STEPS = [0, 3, 6, 9] as const

/**
 * The Redis keys of Celery interop. kombu's names are fixed (it shares them across every queue
 * of a virtual host, i.e. a Redis database); ours carry the broker's key prefix.
 */
export interface CeleryKeys {
  unacked: string
  unackedIndex: string
  unackedMutex: string
  leases: string
  delayed: string
  delayedMessages: string
  dead: string
}

export function celeryKeys(prefix: string): CeleryKeys {
  return {
    unacked: 'unacked',
    unackedIndex: 'unacked_index',
    unackedMutex: 'unacked_mutex',
    leases: `${prefix}:celery:leases`,
    delayed: `${prefix}:celery:delayed`,
    delayedMessages: `${prefix}:celery:delayed-messages`,
    dead: `${prefix}:celery:dead`,
  }
}

/**
 * The lists a worker reads, in the order kombu's BRPOP names them: every queue's step 0 list
 * (the bare queue name), then every queue's step 3, 6 and 9. On Redis, priority 0 is served first.
 */
export function celeryQueueLists(queues: readonly string[]): string[] {
  return PRIORITY_STEPS.flatMap((step) => queues.map((queue) => celeryList(queue, step)))
}

/** The list a message of `priority` on `queue` is pushed to (kombu's _q_for_pri). */
export function celeryList(queue: string, priority: number): string {
  const step = [...PRIORITY_STEPS].reverse().find((s) => s <= priority) ?? 0
  return step === 0 ? queue : `${queue}${PRIORITY_SEPARATOR}${step}`
}

/** The queue a list belongs to. */
export function queueOfList(list: string): string {
  const at = list.lastIndexOf(PRIORITY_SEPARATOR)
  return at < 0 ? list : list.slice(0, at)
}

/**
 * The channel kombu's Redis transport PUBLISHes a fanout exchange's messages on: its
 * `fanout_prefix` `/{db}.` then the exchange name (no routing key: broadcasts carry none).
 */
export function celeryFanoutChannel(db: number, exchange: string): string {
  return `/${db}.${exchange}`
}

/** kombu's set of a direct exchange's bindings, `routing_key\x06\x16pattern\x06\x16queue` each. */
export function celeryBindingKey(exchange: string): string {
  return `_kombu.binding.${exchange}`
}

/** Splits a binding entry into its routing key and queue. */
export function parseCeleryBinding(entry: string): { routingKey: string; queue: string } {
  const [routingKey = '', , queue = ''] = entry.split(PRIORITY_SEPARATOR)
  return { routingKey, queue }
}
