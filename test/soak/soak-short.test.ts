import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'

/**
 * The fault soak (bench/soak.ts), short: 20 s per engine of mixed tasks while workers are killed
 * and paused, the beat leader is killed and (Redis) the server restarts twice. Its ledger is the
 * assertion: every accepted task ends once in SUCCESS, no beat slot is missed or fired twice.
 */
describe('the fault soak, short', () => {
  test('redis and sqlite: no accepted task lost, stuck or failed; every beat slot fired once', async () => {
    const soak = Bun.spawn(
      [process.execPath, join(import.meta.dir, '../../bench/soak.ts'), '--seconds', '20', '--rate', '20'],
      { stdout: 'pipe', stderr: 'pipe', env: { ...process.env } },
    )
    const [stdout, stderr, code] = await Promise.all([
      new Response(soak.stdout).text(),
      new Response(soak.stderr).text(),
      soak.exited,
    ])
    const lines = stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('soak '))
    expect(lines.map((l) => l.split(':')[0])).toEqual(['soak redis', 'soak sqlite'])
    expect(code, `${stdout}\n${stderr.slice(-3_000)}`).toBe(0)
    for (const line of lines) expect(line).toEndWith('OK')
  }, 400_000)
})
