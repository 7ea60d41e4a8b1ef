import { afterAll, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type CeleriacEnv, RunningCeleriac, runCeleriac } from '../cli/celeriac-process.ts'
import { makeImage } from './image/image-fixtures.ts'

// An empty folder: with CELERIAC_BIN=dist/celeriac this proves the image thread is inside the binary.
const dir = mkdtempSync(join(tmpdir(), 'celeriac-files-e2e-'))
const where: CeleriacEnv = { cwd: dir, env: { CELERIAC_IMAGE_THREADS: '2' } }
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function resultOf(id: string): Promise<{ state: string; result: Record<string, unknown> }> {
  const out = await runCeleriac(['result', id, '--wait', '30', '--json'], where)
  return JSON.parse(out.stdout)
}

describe('file tasks through `celeriac all`', () => {
  test('image.process runs in the thread pool; export.csv, report.generate and maintenance work', async () => {
    mkdirSync(join(dir, 'data/media/uploads'), { recursive: true })
    writeFileSync(join(dir, 'data/media/uploads/p.jpg'), await makeImage(1600, 1200, 'image/jpeg'))
    writeFileSync(join(dir, 'data/media/bomb.png'), Buffer.alloc(0))
    const all = new RunningCeleriac(['all', '--grace', '5', '--insecure', '--port', '0'], where)
    try {
      await all.waitForLog(/worker online/)
      const call = async (task: string, input: object) =>
        (await runCeleriac(['call', task, '--input', JSON.stringify(input)], where)).stdout
      const image = await resultOf(
        await call('image.process', {
          file_path: 'uploads/p.jpg',
          max_width: 800,
          max_height: 800,
          thumbnails: [100],
        }),
      )
      expect(image.state).toBe('SUCCESS')
      expect(image.result.files).toEqual([
        {
          path: 'processed/uploads/p.jpg',
          kind: 'image',
          width: 800,
          height: 600,
          bytes: expect.any(Number),
        },
        {
          path: 'processed/uploads/p_100.jpg',
          kind: 'thumbnail',
          width: 100,
          height: 75,
          bytes: expect.any(Number),
        },
      ])
      const hostile = await runCeleriac(
        ['call', 'image.process', '--input', '{"file_path":"../../etc/passwd"}'],
        where,
      )
      expect(hostile.code).not.toBe(0)
      expect(hostile.stderr).toContain('file_path')

      const exported = await resultOf(
        await call('export.csv', { source: 'tasks', fields: ['id', 'name', 'state'] }),
      )
      expect(exported).toMatchObject({ state: 'SUCCESS', result: { rows: expect.any(Number) } })
      const now = Date.now()
      const report = await resultOf(
        await call('report.generate', {
          report_type: 'activity',
          date_from: new Date(now - 3_600_000).toISOString(),
          date_to: new Date(now + 3_600_000).toISOString(),
          format: 'html',
        }),
      )
      expect(report.state).toBe('SUCCESS')
      expect(readdirSync(join(dir, 'data/exports')).sort()).toEqual(
        [`${exported.result.download_id}.csv`, `${report.result.download_id}.html`].sort(),
      )
      const health = await resultOf(await call('system.health_check', {}))
      expect(health.result).toMatchObject({ ok: true })
      const backup = await resultOf(await call('maintenance.backup', {}))
      expect(backup).toMatchObject({ state: 'SUCCESS', result: { kind: 'backup' } })
    } finally {
      expect(await all.stop('SIGTERM')).toBe(0)
    }
  }, 60_000)
})
