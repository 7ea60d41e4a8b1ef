import { describe, expect, test } from 'bun:test'
import { ConfigError } from '../../src/config/config-error.ts'
import { DEFAULT_CONFIG } from '../../src/config/config-schema.ts'
import { type LoadConfigInput, loadConfig } from '../../src/config/load-config.ts'

function problemsOf(input: LoadConfigInput): readonly string[] {
  try {
    loadConfig(input)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error('expected a ConfigError')
}

const file = (settings: unknown) => ({
  path: 'celeriac.json',
  source: '--config',
  text: JSON.stringify(settings),
})

describe('loadConfig', () => {
  test('returns the defaults when nothing is set', () => {
    const config = loadConfig({ env: {}, flags: {} })
    expect(config).toEqual(DEFAULT_CONFIG)
    expect(config.brokerUrl).toBe('sqlite://./data/celeriac.db')
    expect(config.concurrency).toBe(10)
    expect(config.port).toBe(8080)
  })

  test('returns a frozen config whose queue list is frozen too', () => {
    const config = loadConfig({ env: {}, flags: {} })
    expect(Object.isFrozen(config)).toBe(true)
    expect(Object.isFrozen(config.queues)).toBe(true)
  })

  test('ranks flags over env over the file over defaults', () => {
    const input = {
      file: file({ concurrency: 2, port: 9000, graceMs: 1000, workerName: 'from-file' }),
      env: { CELERIAC_CONCURRENCY: '3', CELERIAC_PORT: '9100' },
      flags: { concurrency: '4' },
    }
    const config = loadConfig(input)
    expect(config.concurrency).toBe(4)
    expect(config.port).toBe(9100)
    expect(config.graceMs).toBe(1000)
    expect(config.workerName).toBe('from-file')
    expect(config.heartbeatMs).toBe(DEFAULT_CONFIG.heartbeatMs)
  })

  test('reads flags in their own units: --grace in seconds, --queues as a list', () => {
    const config = loadConfig({
      env: {},
      flags: { grace: '2.5', queues: 'a, b', 'max-memory': '512', 'log-json': true },
    })
    expect(config.graceMs).toBe(2500)
    expect(config.queues).toEqual(['a', 'b'])
    expect(config.maxMemoryMb).toBe(512)
    expect(config.logJson).toBe(true)
  })

  test('takes CELERIAC_BROKER_URL and --broker, the flag winning', () => {
    expect(loadConfig({ env: { CELERIAC_BROKER_URL: 'redis://h:6379' }, flags: {} }).brokerUrl).toBe(
      'redis://h:6379',
    )
    const both = loadConfig({
      env: { CELERIAC_BROKER_URL: 'redis://h:6379' },
      flags: { broker: 'sqlite://x.db' },
    })
    expect(both.brokerUrl).toBe('sqlite://x.db')
  })

  test('treats an empty environment variable as unset', () => {
    expect(loadConfig({ env: { CELERIAC_CONCURRENCY: '' }, flags: {} }).concurrency).toBe(10)
  })

  test('reports every problem at once, each naming its field and source', () => {
    const problems = problemsOf({
      file: file({ port: 'eighty', concurency: 3 }),
      env: { CELERIAC_CONCURRENCY: 'abc', CELERIAC_LOG_JSON: 'maybe', CELERIAC_SQLITE_SYNC: 'off' },
      flags: { grace: 'soon', 'log-level': 'loud' },
    })
    expect(problems).toContain("CELERIAC_CONCURRENCY: expected a positive integer (at most 10000), got 'abc'")
    expect(problems).toContain("CELERIAC_LOG_JSON: expected true or false, got 'maybe'")
    expect(problems).toContain("CELERIAC_SQLITE_SYNC: expected full or normal, got 'off'")
    expect(problems).toContain("--grace: expected a duration of 0 to 24 h, got 'soon'")
    expect(problems).toContain("--log-level: expected one of debug, info, warn, error, got 'loud'")
    expect(problems).toContain(
      "config file celeriac.json: port: expected a TCP port (1-65535, or 0 for any free port), got 'eighty'",
    )
    expect(problems).toContain(
      "config file celeriac.json: unknown setting 'concurency' (did you mean 'concurrency'?)",
    )
    expect(problems).toHaveLength(7)
  })

  test('puts every problem in the error message', () => {
    expect(() => loadConfig({ env: { CELERIAC_PORT: '70000', CELERIAC_QUEUES: 'a b' }, flags: {} })).toThrow(
      /CELERIAC_QUEUES: .*got 'a b'.*; CELERIAC_PORT: .*got '70000'/,
    )
  })

  test('suggests the closest scheme for a mistyped broker URL without echoing the URL', () => {
    const [problem] = problemsOf({ env: {}, flags: { broker: 'sqlit://user:s3cret@x' } })
    expect(problem).toBe(
      "--broker: unknown broker scheme 'sqlit:' (did you mean 'sqlite:'?); supported: sqlite:, redis:, rediss:, redis+cluster:, upstash:, upstash+http:",
    )
    const [redis] = problemsOf({ env: { CELERIAC_BROKER_URL: 'reddis://:pw@h' }, flags: {} })
    expect(redis).toContain("did you mean 'redis:'?")
    expect(redis).not.toContain('pw')
  })

  test('rejects a broker value that is not a URL', () => {
    expect(problemsOf({ env: {}, flags: { broker: 'data.db' } })[0]).toStartWith(
      '--broker: expected a URL such as',
    )
  })

  test('reports a missing or malformed config file clearly', () => {
    const missing = {
      path: 'nope.json',
      source: 'CELERIAC_CONFIG',
      error: 'config file not found: nope.json',
    }
    expect(problemsOf({ env: {}, flags: {}, file: missing })).toEqual([
      'CELERIAC_CONFIG: config file not found: nope.json',
    ])
    const bad = problemsOf({
      env: {},
      flags: {},
      file: { path: 'c.json', source: '--config', text: '{"port": ' },
    })
    expect(bad[0]).toStartWith('config file c.json: invalid JSON: ')
    const array = problemsOf({ env: {}, flags: {}, file: file([1]) })
    expect(array).toEqual(['config file celeriac.json: expected a JSON object of settings'])
  })

  test('accepts 0 or none for --max-memory as "no limit"', () => {
    expect(loadConfig({ env: { CELERIAC_MAX_MEMORY_MB: 'none' }, flags: {} }).maxMemoryMb).toBeNull()
    expect(loadConfig({ env: {}, flags: { 'max-memory': '0' } }).maxMemoryMb).toBeNull()
  })

  test('ignores flags that are not config', () => {
    expect(loadConfig({ env: {}, flags: { input: '{}', json: true } })).toEqual(DEFAULT_CONFIG)
  })
})
