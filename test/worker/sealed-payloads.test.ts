import { Database } from 'bun:sqlite'
import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { z } from 'zod'
import { loadConfig } from '../../src/config/load-config.ts'
import { redactConfig } from '../../src/config/redact-config.ts'
import { createCeleriac } from '../../src/index.ts'
import { runInProcess } from '../cli/run-cli-in-process.ts'
import { useTempApps } from '../fixtures/temp-apps.ts'

/** Signing and encryption switched on by config, from the library and the CLI, as a user would. */
const SIGNING = `s1:${'x'.repeat(48)}`
const ENCRYPTION = `e1:${Buffer.alloc(32, 7).toString('base64')}`
const { tempDir, track } = useTempApps('sealed')

describe('signed and encrypted payloads from config', () => {
  test('a worker runs a sealed task and its result reads back in plaintext; the database never holds it', async () => {
    const dir = tempDir()
    const db = join(dir, 'q.db')
    const app = createCeleriac({
      broker: `sqlite://${db}`,
      config: loadConfig({
        env: { CELERIAC_SIGNING_KEYS: SIGNING, CELERIAC_ENCRYPTION_KEYS: ENCRYPTION },
        flags: {},
      }),
    })
    track(app)
    const charge = app.defineTask({
      name: 'billing.charge',
      input: z.object({ card: z.string(), cents: z.number().int() }),
      run: async ({ card, cents }, ctx) => {
        await ctx.progress({ stage: `charging ${card.slice(-4)}` })
        return { receipt: `paid ${cents} with ${card}` }
      },
    })
    const worker = app.worker({ concurrency: 1 })
    await worker.start()
    try {
      const handle = await charge.enqueue({ card: '4242424242424242', cents: 1999 })
      expect(await handle.result({ timeout: 10_000 })).toEqual({ receipt: 'paid 1999 with 4242424242424242' })
      expect((await handle.wait()).meta).toEqual({ stage: 'charging 4242' })
    } finally {
      await worker.stop()
    }
    const raw = new Database(db, { readonly: true })
    const stored =
      JSON.stringify(raw.query('SELECT * FROM tasks').all()) +
      JSON.stringify(raw.query('SELECT * FROM events').all())
    raw.close()
    expect(stored).not.toContain('4242')
  })

  test('a bad key stops the start naming the field and what a key looks like, never the secret; config dumps mask the keys', async () => {
    const bad = await runInProcess(['inspect', 'conf'], {
      CELERIAC_ENCRYPTION_KEYS: 'e1:c2hvcnQ=',
      CELERIAC_SIGNING_KEYS: 'nocolon',
    })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('CELERIAC_ENCRYPTION_KEYS')
    expect(bad.stderr).toContain('each key 32 bytes in base64')
    expect(bad.stderr).toContain('CELERIAC_SIGNING_KEYS')
    expect(bad.stderr).not.toContain('c2hvcnQ=')
    const shown = redactConfig(
      loadConfig({
        env: { CELERIAC_SIGNING_KEYS: SIGNING, CELERIAC_ENCRYPTION_KEYS: ENCRYPTION },
        flags: {},
      }),
    )
    expect(JSON.stringify(shown)).not.toContain('x'.repeat(48))
    expect(JSON.stringify(shown)).not.toContain(Buffer.alloc(32, 7).toString('base64'))
  })
})
