import { afterEach } from 'bun:test'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSqliteBroker } from '../../src/brokers/sqlite/sqlite-broker.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { type Clock, systemClock } from '../../src/core/clock.ts'
import type { Logger } from '../../src/core/logger.ts'
import { TaskRegistry } from '../../src/core/registry.ts'
import type { AnyTask } from '../../src/core/task.ts'
import { type CreateApiOptions, createApi } from '../../src/server/create-api.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'

export const TOKENS = {
  read: 'read-token-0123456789',
  submit: 'submit-token-0123456789',
  admin: 'admin-token-0123456789',
  both: 'both-token-0123456789',
} as const

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A response whose JSON body tests read freely: the assertions check its shape. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type ApiResponse = Omit<Response, 'json'> & { json(): Promise<any> }

export interface HarnessOptions {
  env?: Record<string, string>
  clock?: Clock
  tasks?: AnyTask[]
  /** Instead of the built-ins: exactly these tasks. */
  only?: AnyTask[]
  settings?: CreateApiOptions['settings']
  log?: Logger
}

/** An api over a fresh SQLite file with one token per scope; closed and deleted after the test. */
export function makeApi(options: HarnessOptions = {}) {
  const path = join(tmpdir(), `celeriac-api-${process.pid}-${Bun.randomUUIDv7()}.db`)
  const clock = options.clock ?? systemClock
  const broker = createSqliteBroker({ path, clock })
  const env = {
    CELERIAC_API_TOKENS: `${TOKENS.read}:read,${TOKENS.submit}:submit,${TOKENS.admin}:admin,${TOKENS.both}:read+submit`,
    ...options.env,
  }
  const config = loadConfig({ env, flags: {} })
  const registry = options.only ? new TaskRegistry(options.only) : createBuiltinRegistry(options.tasks ?? [])
  const api = createApi({ broker, registry, config, clock, settings: options.settings, log: options.log })
  cleanups.push(async () => {
    api.close()
    await api.tail.stop()
    await broker.close()
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true })
  })
  const request = async (
    path: string,
    init: RequestInit & { token?: string | null } = {},
  ): Promise<ApiResponse> => {
    const { token = TOKENS.admin, ...rest } = init
    const headers = new Headers(rest.headers)
    if (token !== null) headers.set('authorization', `Bearer ${token}`)
    return (await api.app.request(path, { ...rest, headers })) as ApiResponse
  }
  const post = (path: string, body: unknown, init: RequestInit & { token?: string | null } = {}) =>
    request(path, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      ...init,
      headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
    })
  return { ...api, broker, registry, config, path, request, post }
}
