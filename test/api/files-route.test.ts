import { describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeApi, TOKENS } from './api-harness.ts'

describe('api files route', () => {
  test('serves a finished download by its id with a read token, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'celeriac-files-'))
    try {
      const api = makeApi({ env: { CELERIAC_EXPORTS_DIR: dir } })
      const id = crypto.randomUUID()
      writeFileSync(join(dir, `${id}.csv`), 'a,b\n1,2\n')
      writeFileSync(join(dir, 'secret.txt'), 'no')
      const other = crypto.randomUUID()
      symlinkSync('/etc/hostname', join(dir, `${other}.csv`))
      const res = await api.request(`/api/v1/files/${id}`, { token: TOKENS.read })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain('text/csv')
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${id}.csv"`)
      expect(await res.text()).toBe('a,b\n1,2\n')
      expect((await api.request(`/api/v1/files/${id}`, { token: null })).status).toBe(401)
      for (const bad of ['secret.txt', '..%2Fsecret.txt', other, crypto.randomUUID()]) {
        expect((await api.request(`/api/v1/files/${bad}`)).status).toBe(404)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
