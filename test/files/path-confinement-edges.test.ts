import { describe, expect, test } from 'bun:test'
import { symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DOWNLOAD_FILE, DOWNLOAD_ID } from '../../src/files/download-kinds.ts'
import { FileMissingError } from '../../src/files/file-errors.ts'
import { relativePathProblem } from '../../src/files/relative-path-problem.ts'
import { RelativePath } from '../../src/files/relative-path-schema.ts'
import { resolveDownload } from '../../src/files/resolve-download.ts'
import { resolveInsideRoot } from '../../src/files/resolve-inside-root.ts'
import { tempDir } from '../tasks/file-task-fixtures.ts'

// Edges of path confinement that mutation testing (bench/mutation.ts) showed untested: which
// names count as downloads (served by the API, deleted by cleanup), lexical checks that must not
// over-refuse, and the errors of a missing root or a path through a file.

const ID = '0192f3a4-5b6c-7d8e-9f01-23456789abcd'

describe('download names', () => {
  test('a download id is a lower-case UUID and nothing around it', () => {
    expect(DOWNLOAD_ID.test(ID)).toBe(true)
    for (const bad of [`x${ID}`, `${ID}x`, ID.toUpperCase(), ID.slice(1), `${ID}.csv`, '../etc/passwd']) {
      expect(DOWNLOAD_ID.test(bad)).toBe(false)
    }
  })

  test('a download file is an id with a known extension, possibly still a .part', () => {
    for (const good of [`${ID}.csv`, `${ID}.json`, `${ID}.html`, `${ID}.csv.part`]) {
      expect(DOWNLOAD_FILE.test(good)).toBe(true)
    }
    const groups = ID.split('-')
    const shortened = groups.map((_, i) => groups.map((g, j) => (i === j ? g.slice(1) : g)).join('-'))
    const foreign = groups.map((_, i) => groups.map((g, j) => (i === j ? `z${g.slice(1)}` : g)).join('-'))
    for (const bad of [
      `x${ID}.csv`,
      `${ID}.csv.bak`,
      `${ID}.txt`,
      'secret.csv',
      ...shortened.map((id) => `${id}.csv`),
      ...foreign.map((id) => `${id}.csv`),
    ]) {
      expect(DOWNLOAD_FILE.test(bad)).toBe(false)
    }
  })

  test('resolveDownload serves only files named by a download id, and nothing when the folder is missing', async () => {
    const dir = tempDir('celeriac-downloads')
    writeFileSync(join(dir, 'report.csv'), 'not a download')
    writeFileSync(join(dir, `${ID}.json`), '{}')
    expect(await resolveDownload(dir, 'report')).toBeNull()
    expect(await resolveDownload(dir, ID)).toMatchObject({ filename: `${ID}.json`, bytes: 2 })
    expect(await resolveDownload(join(dir, 'missing'), ID)).toBeNull()
  })
})

describe('lexical path checks', () => {
  test('refuses percent-encoding only where two hex digits follow the percent sign', () => {
    expect(relativePathProblem('reports/50%2g.txt')).toBeNull()
    expect(relativePathProblem('reports/100%.txt')).toBeNull()
    expect(relativePathProblem('reports/%2e.txt')).toBe('must not contain percent-encoded characters')
  })

  test('treats a drive letter as absolute only at the start of the path', () => {
    expect(relativePathProblem('photos/c:cat.jpg')).toBeNull()
    expect(relativePathProblem('c:cat.jpg')).toBe('must be relative to the root, not absolute')
  })

  test('the input schema reports the problem itself as a custom issue', () => {
    const parsed = RelativePath.safeParse('photos/../secret.txt')
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({ code: 'custom', message: "must not contain '..' segments" }),
    ])
  })
})

describe('resolveInsideRoot errors', () => {
  test('a path through a file is a missing file', async () => {
    const root = tempDir('celeriac-root')
    writeFileSync(join(root, 'cat.jpg'), 'x')
    const err = await resolveInsideRoot(root, 'cat.jpg/inner.jpg', 'f').catch((e: Error) => e)
    expect(err).toBeInstanceOf(FileMissingError)
    expect((err as Error).message).toBe("f not found: 'cat.jpg/inner.jpg'")
  })

  test('a symlink loop is reported as itself, not as a missing file', async () => {
    const root = tempDir('celeriac-root')
    symlinkSync('loop-b', join(root, 'loop-a'))
    symlinkSync('loop-a', join(root, 'loop-b'))
    const err = await resolveInsideRoot(root, 'loop-a', 'f').catch((e: Error) => e)
    expect(err).not.toBeInstanceOf(FileMissingError)
    expect((err as NodeJS.ErrnoException).code).toBe('ELOOP')
  })

  test('a missing root is a missing file naming the root', async () => {
    const dir = tempDir('celeriac-root')
    const root = join(dir, 'media')
    const err = await resolveInsideRoot(root, 'cat.jpg', 'f').catch((e: Error) => e)
    expect(err).toBeInstanceOf(FileMissingError)
    expect((err as Error).message).toBe(`f: root directory ${root} does not exist`)
  })
})
