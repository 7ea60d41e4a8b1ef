import { describe, expect, test } from 'bun:test'
import { createLogger } from '../../src/core/logger.ts'
import { makeApi } from '../api/api-harness.ts'

/** A text logger whose output is kept as the one stream a log shipper would read. */
function capturedLog() {
  let output = ''
  const log = createLogger({ write: (line) => (output += `${line}\n`) })
  return { log, lines: () => output.split('\n').filter((line) => line !== '') }
}

describe('text log escaping', () => {
  test('a request path with %0A is logged as exactly one line holding the escaped text', async () => {
    const captured = capturedLog()
    const api = makeApi({ log: captured.log })
    const forged = '%0A2026-01-01T00:00:00.000Z%20ERROR%20forged%20line%0D%0Aanother'
    const response = await api.request(`/api/v1/tasks${forged}`, { token: 'wrong-token-0123456789' })
    expect(response.status).toBe(401)
    const lines = captured.lines()
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('rejected a bad token')
    expect(lines[0]).toContain('path=/api/v1/tasks\\n2026-01-01T00:00:00.000Z ERROR forged line\\r\\nanother')
  })

  test('control characters in messages and field values are escaped; JSON output stays one line', () => {
    const captured = capturedLog()
    captured.log.warn('message\nwith a break', {
      a: 'tab\there',
      b: 'bell\u0007 esc\u001b[31m',
      c: 'nul\u0000',
      d: 'sep\u2028x',
    })
    expect(captured.lines()).toEqual([
      expect.stringContaining(
        'message\\nwith a break a=tab\\there b=bell\\u0007 esc\\u001b[31m c=nul\\u0000 d=sep\\u2028x',
      ),
    ])
    let json = ''
    createLogger({ json: true, write: (line) => (json += `${line}\n`) }).info('x\ny', { path: '/a\nb' })
    expect(json.trimEnd().split('\n')).toHaveLength(1)
    expect(JSON.parse(json).path).toBe('/a\nb')
  })
})
