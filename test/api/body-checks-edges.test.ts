import { describe, expect, test } from 'bun:test'
import { ApiError } from '../../src/api/api-error.ts'
import { nestingDepth } from '../../src/api/body/nesting-depth.ts'
import { MAX_DEPTH, parseStrictJson } from '../../src/api/body/parse-strict-json.ts'
import { makeApi } from './api-harness.ts'

// Edges of the API's body checks that mutation testing (bench/mutation.ts) showed untested: the
// depth limit's boundary, brackets inside strings, integers near 2^53, surrogates deep inside the
// value, and the content types a JSON body may come with.

function refusal(text: string): { status: number; code: string; message: string } | null {
  try {
    parseStrictJson(text)
    return null
  } catch (err) {
    if (!(err instanceof ApiError)) throw err
    return { status: err.status, code: err.code, message: err.message }
  }
}

/** `depth` nested arrays around a long string, so the text is well past the quick length check. */
const nested = (depth: number) => `${'['.repeat(depth)}"${'x'.repeat(200)}"${']'.repeat(depth)}`

describe('nesting depth', () => {
  test('counts arrays and objects, not brackets inside strings or after escaped quotes', () => {
    expect(nestingDepth('[{"a":[1]}]')).toBe(3)
    expect(nestingDepth('["[[[[", "\\"[[[", {"k]]": "}}"}]')).toBe(2)
    expect(nestingDepth('"\\\\"[[]]')).toBe(2)
    expect(nestingDepth('[][][]')).toBe(1)
  })

  test(`allows ${MAX_DEPTH} levels and refuses one more`, () => {
    expect(MAX_DEPTH).toBe(64)
    expect(refusal(nested(64))).toBeNull()
    expect(refusal(nested(65))).toEqual({
      status: 400,
      code: 'too_deep',
      message: 'request body nests deeper than 64 levels',
    })
  })
})

describe('integers near 2^53', () => {
  test('allows long safe integers and unsafe ones written with an exponent', () => {
    expect(parseStrictJson('{"a": 9007199254740991, "b": -9007199254740991}')).toEqual({
      a: 9007199254740991,
      b: -9007199254740991,
    })
    expect(parseStrictJson('{"a": 12345678901234567e3, "b": 1.2345678901234567E+30}')).toEqual({
      a: 12345678901234567e3,
      b: 1.2345678901234567e30,
    })
  })

  test('refuses an unsafe plain integer inside a value that also holds long safe ones', () => {
    expect(refusal('{"ok": 1234567890123456, "deep": {"list": [1, 18014398509481984]}}')).toMatchObject({
      status: 400,
      code: 'unsafe_integer',
      message: expect.stringContaining('is beyond 2^53 and would be rounded; send it as a string'),
    })
  })

  test('names a body that is not JSON as such', () => {
    expect(refusal('{"a": 1234567890123456,}')).toMatchObject({
      code: 'invalid_json',
      message: expect.stringMatching(/^request body is not valid JSON: /),
    })
  })
})

describe('lone surrogates', () => {
  test('are found in arrays and objects at any depth, and in keys', () => {
    for (const text of [
      '[1, ["a", "\\ud800"]]',
      '{"a": {"b": [{"c": "\\udbff"}]}}',
      '{"a": [{"\\uDFFF": 1}]}',
      '{"a": null, "b": true, "c": "\\uDC00x"}',
    ]) {
      expect(refusal(text)).toMatchObject({
        code: 'invalid_unicode',
        message: 'request body holds a lone UTF-16 surrogate (\\uD800-\\uDFFF)',
      })
    }
  })

  test('paired surrogates and other escapes pass', () => {
    expect(parseStrictJson('{"a": ["\\ud83d\\ude00", "\\u00e9", null, 1]}')).toEqual({
      a: ['😀', 'é', null, 1],
    })
  })
})

describe('JSON content types', () => {
  const post = (contentType: string) =>
    makeApi().request('/api/v1/tasks/debug.noop', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': contentType },
    })

  test.each([
    'application/json',
    'APPLICATION/JSON',
    'application/json;charset=UTF-8',
    'application/json; charset="utf-8"',
    'application/json ; charset=utf8',
    'application/vnd.celeriac.task+json',
    'application/merge-patch+json; charset=utf-8',
  ])('accepts %s', async (contentType) => {
    expect((await post(contentType)).status).toBe(202)
  })

  test.each([
    'application/jsonp',
    'application/json-seq',
    'application/x+jsonx',
    'text/json',
    'xapplication/json',
    'application/json; charset=utf-16',
  ])('refuses %s with 415', async (contentType) => {
    const res = await post(contentType)
    expect(res.status).toBe(415)
    expect((await res.json()).error).toBe('unsupported_media_type')
  })

  test('echoes the first 100 characters of a refused content type', async () => {
    const long = `text/plain; x=${'y'.repeat(200)}`
    const body = await (await post(long)).json()
    expect(body).toMatchObject({ message: 'send the body as application/json', got: long.slice(0, 100) })
  })
})

describe('JSON body reading', () => {
  const send = (body: string | Uint8Array, contentType = 'application/json') =>
    makeApi().request('/api/v1/tasks/debug.noop', {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
    })

  test('refuses a non-UTF-8 charset however it is spaced, saying why', async () => {
    for (const contentType of ['application/json;charset=latin1', 'application/json; charset = utf-16']) {
      const res = await send('{}', contentType)
      expect(res.status).toBe(415)
      expect((await res.json()).message).toBe('JSON bodies must be UTF-8')
    }
  })

  test('accepts a body that starts with a UTF-8 byte order mark', async () => {
    expect((await send(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).status).toBe(202)
  })

  test('names bytes that are not UTF-8', async () => {
    const body = await (await send(new Uint8Array([0x7b, 0xff, 0x7d]))).json()
    expect(body).toMatchObject({ error: 'invalid_utf8', message: 'request body is not valid UTF-8' })
  })
})
