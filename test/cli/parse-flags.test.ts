import { describe, expect, test } from 'bun:test'
import { type FlagSpecs, parseFlags } from '../../src/cli/parse-flags.ts'
import { UsageError } from '../../src/cli/usage-error.ts'

const specs: FlagSpecs = {
  queues: { type: 'string', short: 'Q', description: '' },
  concurrency: { type: 'string', short: 'c', description: '' },
  json: { type: 'boolean', description: '' },
  yes: { type: 'boolean', short: 'y', description: '' },
}

describe('parseFlags', () => {
  test('reads long flags with a separate or inline value', () => {
    expect(parseFlags(['--queues', 'a,b', '--concurrency=4'], specs).flags).toEqual({
      queues: 'a,b',
      concurrency: '4',
    })
  })

  test('reads short flags with a separate or attached value', () => {
    expect(parseFlags(['-Q', 'a', '-c4'], specs).flags).toEqual({ queues: 'a', concurrency: '4' })
    expect(parseFlags(['-Q=media'], specs).flags).toEqual({ queues: 'media' })
  })

  test('keeps positionals in order around flags, and everything after --', () => {
    const parsed = parseFlags(['call', '--json', 'x', '--', '--queues', '-y'], specs)
    expect(parsed.positionals).toEqual(['call', 'x', '--queues', '-y'])
    expect(parsed.flags).toEqual({ json: true })
  })

  test('sets switches, accepting =true and =false', () => {
    expect(parseFlags(['--json', '-y'], specs).flags).toEqual({ json: true, yes: true })
    expect(parseFlags(['--json=false'], specs).flags).toEqual({ json: false })
    expect(() => parseFlags(['--json=maybe'], specs)).toThrow(UsageError)
  })

  test('keeps the last value of a repeated flag', () => {
    expect(parseFlags(['-c', '1', '-c', '2'], specs).flags).toEqual({ concurrency: '2' })
  })

  test('takes a negative number as a positional or a value, not a flag', () => {
    expect(parseFlags(['-5', '-c', '-1'], specs)).toEqual({
      positionals: ['-5'],
      flags: { concurrency: '-1' },
    })
  })

  test('rejects an unknown flag, suggesting the closest one', () => {
    expect(() => parseFlags(['--concurency', '3'], specs)).toThrow(
      "unknown flag '--concurency' (did you mean '--concurrency'?)",
    )
    expect(() => parseFlags(['-x'], specs)).toThrow("unknown flag '-x'")
  })

  test('rejects a value-taking flag at the end of the line', () => {
    expect(() => parseFlags(['--queues'], specs)).toThrow('--queues needs a value')
    expect(() => parseFlags(['-Q'], specs)).toThrow('-Q needs a value')
  })
})
