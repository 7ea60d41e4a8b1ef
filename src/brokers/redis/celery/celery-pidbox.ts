import type { Redis } from 'ioredis'
import {
  isForNode,
  type PidboxCommand,
  parsePidboxCommand,
  revokeOf,
} from '../../../celery/pidbox-command.ts'
import { encodePidboxReply } from '../../../celery/pidbox-reply.ts'
import type { Logger } from '../../../core/logger.ts'
import { openCeleryRedis } from './celery-connection.ts'
import { celeryBindingKey, celeryFanoutChannel, parseCeleryBinding } from './celery-keys.ts'

/** Celery's default control exchange (app.control.mailbox, namespace `celery`). */
const PIDBOX_EXCHANGE = 'celery.pidbox'

export interface CeleryPidboxOptions {
  url: string
  /** This worker's node name: commands with a destination list are for the nodes it names. */
  node: string
  log: Logger
  onRevoke: (ids: string[], terminate: boolean) => void
}

/**
 * Listens to Python Celery's remote control broadcasts (`celery control revoke`, `inspect ping`)
 * on kombu's pidbox fanout channel, so a Celeriac worker obeys them like a Python one.
 * Only `revoke` and `ping` are acted on; other commands are ignored (logged at debug).
 */
export class CeleryPidbox {
  private readonly subscriber: Redis
  private readonly client: Redis
  private readonly channel: string

  constructor(private readonly o: CeleryPidboxOptions) {
    const { client, db } = openCeleryRedis(o.url, 'celeriac-celery-pidbox')
    this.client = client
    // A subscribed connection can send nothing else: replies go over a second one.
    this.subscriber = client.duplicate({ connectionName: 'celeriac-celery-pidbox-sub' })
    this.channel = celeryFanoutChannel(db, PIDBOX_EXCHANGE)
  }

  /** Resolves once subscribed: a revoke broadcast after this is seen. */
  async start(): Promise<void> {
    this.subscriber.on('message', (_channel: string, raw: string) => {
      this.handle(raw).catch((err: Error) =>
        this.o.log.warn('celery control command failed', { error: err.message }),
      )
    })
    await this.subscriber.subscribe(this.channel)
  }

  private async handle(raw: string): Promise<void> {
    const command = parsePidboxCommand(raw)
    if (!command || !isForNode(command, this.o.node)) return
    const revoke = revokeOf(command)
    if (revoke) {
      this.o.log.info('celery revoke received', { ids: revoke.ids.join(','), terminate: revoke.terminate })
      this.o.onRevoke(revoke.ids, revoke.terminate)
      await this.reply(command, { ok: `tasks ${revoke.ids.join(', ')} flagged as revoked` })
    } else if (command.method === 'ping') {
      await this.reply(command, { ok: 'pong' })
    } else {
      this.o.log.debug('celery control command ignored', { method: command.method })
    }
  }

  /** As kombu delivers to a direct exchange: LPUSH to each queue bound with the reply's routing key. */
  private async reply(command: PidboxCommand, reply: unknown): Promise<void> {
    const to = command.reply_to
    if (!to || !command.ticket) return
    const bindings = await this.client.smembers(celeryBindingKey(to.exchange))
    const payload = encodePidboxReply({
      node: this.o.node,
      reply,
      ticket: command.ticket,
      exchange: to.exchange,
      routingKey: to.routing_key,
      deliveryTag: crypto.randomUUID(),
    })
    for (const binding of bindings.map(parseCeleryBinding))
      if (binding.routingKey === to.routing_key) await this.client.lpush(binding.queue, payload)
  }

  async close(): Promise<void> {
    this.subscriber.disconnect()
    await this.client.quit().catch(() => this.client.disconnect())
  }
}
