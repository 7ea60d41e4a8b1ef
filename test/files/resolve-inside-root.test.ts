import { describe, expect, test } from 'bun:test'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { FileMissingError, UnsafePathError } from '../../src/files/file-errors.ts'
import { RelativePath } from '../../src/files/relative-path-schema.ts'
import { resolveInsideRoot } from '../../src/files/resolve-inside-root.ts'
import { tempDir } from '../tasks/file-task-fixtures.ts'

function makeRoot() {
  const dir = tempDir('celeriac-root')
  const root = join(dir, 'media')
  mkdirSync(join(root, 'photos'), { recursive: true })
  writeFileSync(join(root, 'photos/cat.jpg'), 'x')
  writeFileSync(join(dir, 'secret.txt'), 'outside')
  symlinkSync(join(dir, 'secret.txt'), join(root, 'photos/link-out.jpg'))
  symlinkSync('photos', join(root, 'alias'))
  symlinkSync(dir, join(root, 'dir-out'))
  return { dir, root }
}

// Paths that try to leave the root: every one is refused with a clear error, never retried.
const HOSTILE: [string, string][] = [
  ['../../etc/passwd', "'..' segments"],
  ['photos/../../secret.txt', "'..' segments"],
  ['..', "'..' segments"],
  ['/etc/shadow', 'absolute'],
  ['C:/Windows/win.ini', 'absolute'],
  ['%2e%2e%2fsecret.txt', 'percent-encoded'],
  ['%252e%252e%252fsecret.txt', 'percent-encoded'],
  ['photos/%2E%2E/%2E%2E/secret.txt', 'percent-encoded'],
  ['photos/cat.jpg\0.png', 'NUL'],
  ['..\\..\\secret.txt', 'backslashes'],
  ['photos\\cat.jpg', 'backslashes'],
  ['', 'empty'],
]

describe('resolveInsideRoot', () => {
  test.each(HOSTILE)('refuses %p (%s)', async (path, why) => {
    const { root } = makeRoot()
    const err = await resolveInsideRoot(root, path, 'image.process: file_path').catch((e: Error) => e)
    expect(err).toBeInstanceOf(UnsafePathError)
    expect((err as Error).message).toContain(why)
    expect((err as Error).message).toStartWith('image.process: file_path')
    expect(RelativePath.safeParse(path).success).toBe(false)
  })

  test('refuses a symlink that points outside the root', async () => {
    const { root } = makeRoot()
    expect(RelativePath.safeParse('photos/link-out.jpg').success).toBe(true) // only the file system can tell
    const err = await resolveInsideRoot(root, 'photos/link-out.jpg', 'f').catch((e: Error) => e)
    expect(err).toBeInstanceOf(UnsafePathError)
    expect((err as Error).message).toContain('outside the root')
    await expect(resolveInsideRoot(root, 'dir-out/secret.txt', 'f')).rejects.toBeInstanceOf(UnsafePathError)
  })

  test('follows symlinks that stay inside the root to the real path', async () => {
    const { root } = makeRoot()
    const real = await resolveInsideRoot(root, 'alias/cat.jpg', 'f')
    expect(real.endsWith(join('media', 'photos', 'cat.jpg'))).toBe(true)
    expect(await resolveInsideRoot(root, './photos//cat.jpg', 'f')).toBe(real)
  })

  test('a missing file is a clear, unrecoverable error', async () => {
    const { root } = makeRoot()
    const err = await resolveInsideRoot(root, 'photos/dog.jpg', 'f').catch((e: Error) => e)
    expect(err).toBeInstanceOf(FileMissingError)
    expect((err as Error).message).toBe("f not found: 'photos/dog.jpg'")
  })

  test('the root itself is not a file inside the root', async () => {
    const { root } = makeRoot()
    await expect(resolveInsideRoot(root, '.', 'f')).rejects.toBeInstanceOf(UnsafePathError)
  })
})
