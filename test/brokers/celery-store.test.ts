import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { Redis } from 'ioredis'
import { CeleryStore } from '../../src/brokers/redis/celery/celery-store.ts'
import { celeryMetaKey, encodeResultMeta } from '../../src/celery/result-meta.ts'
import { celeryRedisUrl, flushDb, runPython } from '../celery/celery-harness.ts'

/** kombu's key names are fixed: this file owns database 13 and empties it around each test. */
const URL = celeryRedisUrl(13)
let redis: Redis
let store: CeleryStore

beforeAll(() => {
  redis = new Redis(URL)
  store = new CeleryStore(URL, 60_000)
})
beforeEach(() => flushDb(URL))
afterAll(async () => {
  await store.close()
  redis.disconnect()
  await flushDb(URL)
})

/** Sends one task from Python to the `celery` queue (no worker runs) and returns its id. */
async function sendFromPython(): Promise<string> {
  const out = await runPython<{ id: string }>(
    URL,
    `print(json.dumps({'id': app.send_task('tasks.add', args=[1, 2]).id}))`,
  )
  return out.id
}

describe("Celery claims stay compatible with kombu's own bookkeeping", () => {
  test("a message we claimed and lost is restored by Python's own visibility-timeout restore", async () => {
    await sendFromPython()
    const [claimed] = await store.claim(['celery'], 10, Date.now() - 5_000)
    expect(claimed?.list).toBe('celery')
    expect(await redis.llen('celery')).toBe(0)
    const out = await runPython<{ restored: number }>(
      URL,
      `
app.conf.broker_transport_options = {'visibility_timeout': 1}
with app.connection() as conn:
    conn.default_channel.qos.restore_visible(num=100)
    print(json.dumps({'restored': conn.default_channel.client.llen('celery')}))
`,
    )
    expect(out.restored).toBe(1)
    expect(await redis.hlen('unacked')).toBe(0)
    expect(await redis.zcard('unacked_index')).toBe(0)
    expect(JSON.parse((await redis.lindex('celery', 0)) as string).properties.delivery_tag).toBe(claimed?.tag)
  }, 30_000)

  test("a message a Python consumer claimed and lost is restored by our recovery after kombu's visibility timeout only", async () => {
    await sendFromPython()
    await runPython(
      URL,
      `
conn = app.connection()
ch = conn.default_channel
ch.basic_get('celery', no_ack=False)
print(json.dumps({'unacked': ch.client.hlen('unacked')}), flush=True)
# Dies as a killed worker does: no close, so kombu's restore-at-shutdown never runs.
os._exit(0)
`,
    )
    expect(await redis.hlen('unacked')).toBe(1)
    // Within the visibility timeout the Python claim is left alone, even though it is older than our lease.
    expect(await store.recover(Date.now() + 10_000, 1_000, 3_600_000)).toEqual([])
    const restored = await store.recover(Date.now() + 10_000, 1_000, 5_000)
    expect(restored).toHaveLength(1)
    expect(await redis.llen('celery')).toBe(1)
    expect(await redis.hlen('unacked')).toBe(0)
  }, 30_000)

  test('a SUCCESS result is never overwritten by a later outcome', async () => {
    await sendFromPython()
    const [first] = await store.claim(['celery'], 10, Date.now())
    if (!first) throw new Error('nothing claimed')
    const id = JSON.parse(first.raw).headers.id as string
    const success = encodeResultMeta({ id, status: 'SUCCESS', result: 3, now: Date.now() })
    await redis.set(celeryMetaKey(id), success)
    const failure = encodeResultMeta({ id, status: 'FAILURE', result: null, now: Date.now() })
    const reply = await store.settle({
      tag: first.tag,
      token: first.token,
      metaKey: celeryMetaKey(id),
      meta: failure,
      action: 'ack',
    })
    expect(reply).toBe('success_kept')
    expect(await redis.get(celeryMetaKey(id))).toBe(success)
    expect(await redis.hlen('unacked')).toBe(0)
  }, 30_000)

  test('outcomes settled together in one call are each judged on their own', async () => {
    await sendFromPython()
    await sendFromPython()
    const [a, b] = await store.claim(['celery'], 10, Date.now())
    if (!a || !b) throw new Error('two messages expected')
    const idOf = (raw: string) => JSON.parse(raw).headers.id as string
    const meta = (raw: string) =>
      encodeResultMeta({ id: idOf(raw), status: 'SUCCESS', result: 3, now: Date.now() })
    const replies = await store.settleMany([
      { tag: a.tag, token: a.token, metaKey: celeryMetaKey(idOf(a.raw)), meta: meta(a.raw), action: 'ack' },
      { tag: b.tag, token: 'stale', metaKey: celeryMetaKey(idOf(b.raw)), meta: meta(b.raw), action: 'ack' },
    ])
    expect(replies).toEqual(['ok', 'lease_lost'])
    expect(await redis.exists(celeryMetaKey(idOf(a.raw)))).toBe(1)
    expect(await redis.exists(celeryMetaKey(idOf(b.raw)))).toBe(0)
    expect(await redis.hkeys('unacked')).toEqual([b.tag])
  }, 30_000)

  test('a settle by a token that no longer holds the message records nothing', async () => {
    await sendFromPython()
    const [claimed] = await store.claim(['celery'], 10, Date.now())
    if (!claimed) throw new Error('nothing claimed')
    const reply = await store.settle({
      tag: claimed.tag,
      token: 'stale',
      metaKey: celeryMetaKey('x'),
      meta: '{}',
      action: 'ack',
    })
    expect(reply).toBe('lease_lost')
    expect(await redis.hlen('unacked')).toBe(1)
    expect(await redis.exists(celeryMetaKey('x'))).toBe(0)
  }, 30_000)
})
