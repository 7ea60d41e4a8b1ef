import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { z } from 'zod'
import { createSqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.ts'
import { buildMessage } from '../../src/core/build-message.ts'
import { FakeClock, systemClock } from '../../src/core/clock.ts'
import { createCeleriac, defineTask, ValidationError } from '../../src/index.ts'
import { makeApi } from '../api/api-harness.ts'
import { runInProcess } from '../cli/run-cli-in-process.ts'
import { useTempApps } from '../fixtures/temp-apps.ts'

/**
 * Fair sharing from the library, the API and the CLI: options checked where they are declared,
 * keys computed at enqueue, and per-key rate limits in a worker (the broker's part, per-key
 * concurrency, is in the conformance suite and test/worker/fairness-tenants.test.ts).
 */
const { tempDir, track } = useTempApps('fair')

const Input = z.object({ tenant: z.string(), n: z.number().int() })
const perTenant = defineTask({
  name: 'tenant.sync',
  input: Input,
  concurrencyKey: ({ tenant }) => tenant,
  concurrency: 3,
  run: ({ n }) => n,
})

const expectRefusal = (fn: () => unknown, field: string) => {
  let error: unknown
  try {
    fn()
  } catch (err) {
    error = err
  }
  expect(error).toBeInstanceOf(ValidationError)
  expect(String((error as Error).message)).toContain(field)
}

describe('fair sharing options', () => {
  test('defineTask refuses options that cannot act: a key without a limit, a zero cap, a bad rate', () => {
    const base = { name: 'x.y', input: Input, run: () => 1 }
    expectRefusal(() => defineTask({ ...base, concurrencyKey: ({ tenant }) => tenant }), 'concurrencyKey')
    expectRefusal(() => defineTask({ ...base, concurrency: 0 }), 'concurrency')
    expectRefusal(
      () => defineTask({ ...base, concurrencyKey: ({ tenant }) => tenant, keyRateLimit: '10/q' }),
      'keyRateLimit',
    )
  })

  test('the key is computed from the validated input at enqueue; a per-call key wins; a bad key names the field', () => {
    const clock = new FakeClock()
    expect(buildMessage(perTenant, { tenant: 'acme', n: 1 }, {}, clock).group).toEqual({
      key: 'acme',
      limit: 3,
    })
    expect(buildMessage(perTenant, { tenant: 'acme', n: 1 }, { concurrencyKey: 'vip' }, clock).group).toEqual(
      {
        key: 'vip',
        limit: 3,
      },
    )
    const whole = defineTask({ name: 'report.build', input: Input, concurrency: 1, run: () => 1 })
    expect(buildMessage(whole, { tenant: 'a', n: 1 }, {}, clock).group).toEqual({ key: null, limit: 1 })
    const throwing = defineTask({
      name: 'tenant.bad',
      input: Input,
      concurrency: 2,
      concurrencyKey: () => {
        throw new Error('no tenant')
      },
      run: () => 1,
    })
    expectRefusal(() => buildMessage(throwing, { tenant: 'a', n: 1 }, {}, clock), 'concurrencyKey')
    const plain = defineTask({ name: 'plain.task', input: Input, run: () => 1 })
    expect(buildMessage(plain, { tenant: 'a', n: 1 }, {}, clock).group).toBeUndefined()
    expectRefusal(
      () => buildMessage(plain, { tenant: 'a', n: 1 }, { concurrencyKey: 'k' }, clock),
      'concurrencyKey',
    )
  })

  test('keyRateLimit: each key draws from its own bucket, so one busy key does not use up the others', async () => {
    const dir = tempDir()
    const celeriac = track(createCeleriac({ broker: `sqlite://${join(dir, 'q.db')}` }))
    const limited = defineTask({
      name: 'tenant.mail',
      input: Input,
      concurrencyKey: ({ tenant }) => tenant,
      keyRateLimit: '2/m',
      run: ({ n }) => n,
    })
    const bound = celeriac.task(limited)
    const busy = await Promise.all(Array.from({ length: 6 }, (_, n) => bound.enqueue({ tenant: 'busy', n })))
    const quiet = await Promise.all(
      Array.from({ length: 2 }, (_, n) => bound.enqueue({ tenant: 'quiet', n })),
    )
    const worker = celeriac.worker({ concurrency: 4 })
    await worker.start()
    try {
      for (const h of quiet) expect((await h.wait({ timeout: 10_000 })).state).toBe('SUCCESS')
      const states = () => Promise.all(busy.map((h) => h.state()))
      for (let i = 0; i < 100 && (await states()).filter((s) => s === 'SUCCESS').length < 2; i++)
        await Bun.sleep(50)
      // Two per minute for the busy key: two ran, four wait for the next tokens.
      expect((await states()).filter((s) => s === 'SUCCESS')).toHaveLength(2)
    } finally {
      await worker.stop()
    }
  })
})

describe('a per-call concurrency key from the API and the CLI', () => {
  test('the by-name route takes Celeriac-Concurrency-Key; on a task without fair sharing it is refused naming the field', async () => {
    const api = makeApi({ tasks: [perTenant] })
    const headers = { 'celeriac-concurrency-key': 'vip' }
    const ok = await api.post('/api/v1/tasks/tenant.sync', { tenant: 'acme', n: 1 }, { headers })
    expect(ok.status).toBe(202)
    const bad = await api.post('/api/v1/tasks/debug.sleep', { ms: 1 }, { headers })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(await bad.json())).toContain('concurrencyKey')
  })

  test('celeriac call --concurrency-key on a task without fair sharing exits 2 naming the option', async () => {
    const dir = tempDir()
    const env = { CELERIAC_BROKER_URL: `sqlite://${join(dir, 'q.db')}` }
    createSqliteBroker({ path: join(dir, 'q.db'), clock: systemClock }).close()
    const out = await runInProcess(
      ['call', 'debug.sleep', '--input', '{"ms":1}', '--concurrency-key', 'acme'],
      env,
    )
    expect(out.code).toBe(2)
    expect(out.stderr).toContain('concurrencyKey')
  })
})
