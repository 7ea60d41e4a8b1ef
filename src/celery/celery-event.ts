import { loadavg, platform } from 'node:os'

/** What every event of one worker carries (celery/events/dispatcher.py EventDispatcher.publish). */
export interface EventOrigin {
  hostname: string
  pid: number
}

/** Celery's `utcoffset()`: hours west of UTC, as `time.timezone // 3600`. */
export function celeryUtcOffset(now: Date = new Date()): number {
  return Math.floor(now.getTimezoneOffset() / 60)
}

/**
 * One event as Celery's `Event(type, **fields)` makes it, with the fields the dispatcher adds.
 * `clock` is the sender's Lamport clock; timestamps are seconds, as Python's time().
 */
export function celeryEvent(
  type: string,
  origin: EventOrigin,
  clock: number,
  now: number,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return {
    hostname: origin.hostname,
    utcoffset: celeryUtcOffset(new Date(now)),
    pid: origin.pid,
    clock,
    ...fields,
    timestamp: now / 1000,
    type,
  }
}

/** The fields of worker-online/heartbeat/offline that Flower and celery-exporter read. */
export function workerEventFields(o: {
  freqSeconds: number
  active: number
  processed: number
  version: string
}): Record<string, unknown> {
  return {
    freq: o.freqSeconds,
    sw_ident: 'celeriac',
    sw_ver: o.version,
    sw_sys: platform() === 'linux' ? 'Linux' : platform(),
    active: o.active,
    processed: o.processed,
    loadavg: loadavg().map((n) => Math.round(n * 100) / 100),
  }
}

/** A task event's routing key, as the dispatcher derives it: `task-succeeded` -> `task.succeeded`. */
export function eventRoutingKey(type: string): string {
  return type.replaceAll('-', '.')
}

/**
 * The kombu message an event travels in: on Redis, the celeryev exchange is a fanout one
 * (celery/events/event.py get_exchange), published on `/{db}.celeryev/<routing key>`.
 */
export function encodeEventMessage(
  event: Record<string, unknown>,
  routingKey: string,
  deliveryTag: string,
): string {
  return JSON.stringify({
    body: Buffer.from(JSON.stringify(event), 'utf8').toString('base64'),
    'content-encoding': 'utf-8',
    'content-type': 'application/json',
    headers: { hostname: event.hostname },
    properties: {
      delivery_mode: 1,
      delivery_info: { exchange: 'celeryev', routing_key: routingKey },
      priority: 0,
      body_encoding: 'base64',
      delivery_tag: deliveryTag,
    },
  })
}
