import { describe, expect, test } from 'bun:test'
import { makeApi } from './api-harness.ts'
import { prng, request } from './fuzz-requests.ts'

describe('api fuzz', () => {
  test('answers thousands of generated requests without a 5xx or a stack trace', async () => {
    // The brute-force limit would soon answer every request 429: lift it to reach the routes.
    const api = makeApi({
      env: { CELERIAC_API_BODY_LIMIT: '65536' },
      settings: { bruteForce: { maxFailures: 1e9, windowMs: 1_000 } },
    })
    const seed = Number(process.env.FUZZ_SEED ?? 20261122)
    const r = prng(seed)
    const seen = new Map<number, number>()
    for (let i = 0; i < 3_000; i++) {
      const { path, init } = request(r)
      let res: Response
      try {
        res = await api.app.request(path, init)
      } catch (err) {
        throw new Error(`seed ${seed} request ${i} ${init.method} ${path} threw: ${err}`)
      }
      const text = await res.text()
      seen.set(res.status, (seen.get(res.status) ?? 0) + 1)
      if (res.status >= 500 || /\n\s+at \S/.test(text) || text.includes('.ts:')) {
        throw new Error(
          `seed ${seed} request ${i}: ${init.method} ${path} -> ${res.status} ${text.slice(0, 300)}`,
        )
      }
    }
    // The generator reaches the interesting answers, not only 401s and 404s.
    const missing = [200, 202, 400, 401, 403, 404, 415].filter((status) => !seen.has(status))
    expect({ missing, seen: Object.fromEntries(seen) }).toMatchObject({ missing: [] })
  }, 60_000)
})
