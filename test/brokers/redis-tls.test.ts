import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CeleriacEnv, RunningCeleriac, runCeleriac } from '../cli/celeriac-process.ts'
import { freePort } from './redis-server-process.ts'
import { withClient } from './redis-support.ts'

/**
 * `rediss://` against a real TLS redis-server on its own loopback port, with a certificate made
 * for the test (openssl) and trusted the way the README says: NODE_EXTRA_CA_CERTS.
 */
const dir = mkdtempSync(join(tmpdir(), 'celeriac-redis-tls-'))
const port = freePort()
const baseUrl = `rediss://127.0.0.1:${port}/0?prefix=tls-test-${process.pid}`
let pid = 0

function run(command: string[]) {
  const result = Bun.spawnSync(command, { cwd: dir, stderr: 'pipe' })
  if (result.exitCode !== 0) throw new Error(`${command[0]} failed: ${result.stderr.toString()}`)
}

beforeAll(async () => {
  run([
    'openssl',
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'key.pem',
    '-out',
    'cert.pem',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ])
  run([
    'redis-server',
    '--port',
    '0',
    '--tls-port',
    String(port),
    '--tls-cert-file',
    'cert.pem',
    '--tls-key-file',
    'key.pem',
    '--tls-auth-clients',
    'no',
    '--save',
    '',
    '--appendonly',
    'no',
    '--bind',
    '127.0.0.1',
    '--daemonize',
    'yes',
    '--pidfile',
    join(dir, 'redis.pid'),
    '--dir',
    dir,
  ])
  for (let i = 0; i < 100 && pid === 0; i++) {
    try {
      pid = Number(readFileSync(join(dir, 'redis.pid'), 'utf8'))
    } catch {
      await Bun.sleep(20)
    }
  }
  if (!pid) throw new Error('the TLS redis-server did not start')
})

afterAll(() => {
  if (pid) process.kill(pid, 'SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

const trusted: CeleriacEnv = { cwd: dir, env: { NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') } }

describe.each(['ioredis', 'bun'] as const)('rediss:// (client=%s)', (client) => {
  const url = withClient(baseUrl, client)
  test('runs a task end to end over TLS when the server certificate is trusted', async () => {
    const all = new RunningCeleriac(['all', '--insecure', '--port', '0', '--broker', url], trusted)
    try {
      await all.waitForLog(/worker online/, 20_000)
      const call = await runCeleriac(['call', 'debug.sleep', '--input', '{"ms":1}', '--broker', url], trusted)
      expect(call.code, call.stderr).toBe(0)
      const result = await runCeleriac(['result', call.stdout, '--wait', '15', '--broker', url], trusted)
      expect(result.stdout).toContain('SUCCESS')
    } finally {
      expect(await all.stop()).toBe(0)
    }
  }, 40_000)

  test('refuses an untrusted certificate at start, saying so and how to trust it', async () => {
    const call = await runCeleriac(['call', 'debug.noop', '--broker', url], { cwd: dir, env: {} })
    expect(call.code).toBe(1)
    expect(call.stderr).toContain(`redis broker: cannot reach 127.0.0.1:${port} over TLS`)
    expect(call.stderr).toContain('point NODE_EXTRA_CA_CERTS at your CA')
    expect(call.stderr).not.toMatch(/\n\s+at /)
  }, 20_000)
})
