import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { readImageSize } from '../../../src/tasks/image/read-image-size.ts'
import { tempDir } from '../file-task-fixtures.ts'
import { makeImage, pngHeader, writeUnder } from './image-fixtures.ts'

describe('readImageSize', () => {
  test.each([
    ['image/png', 'png'],
    ['image/jpeg', 'jpeg'],
    ['image/gif', 'gif'],
    ['image/bmp', 'bmp'],
  ] as const)('reads the size of a real %s from its header', async (mime, format) => {
    const path = writeUnder(tempDir(), `a.${format}`, await makeImage(123, 45, mime))
    expect(await readImageSize(path)).toEqual({
      format,
      width: 123,
      height: 45,
      frames: 1,
      framePixels: 123 * 45,
    })
  })

  test('finds the JPEG frame header after a large metadata segment', async () => {
    const jpeg = await makeImage(64, 32, 'image/jpeg')
    const app1 = Buffer.alloc(4 + 60_000)
    app1.set([0xff, 0xe1])
    app1.writeUInt16BE(60_002, 2)
    const withExif = Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)])
    const path = writeUnder(tempDir(), 'exif.jpg', withExif)
    expect(await readImageSize(path)).toMatchObject({ format: 'jpeg', width: 64, height: 32 })
  })

  test('reads the declared size of a bomb without reading its body', async () => {
    const path = writeUnder(tempDir(), 'bomb.png', pngHeader(100_000, 100_000))
    expect(await readImageSize(path)).toMatchObject({ format: 'png', width: 100_000, height: 100_000 })
  })

  test('returns null for text, truncated files and JPEGs without a frame', async () => {
    const dir = tempDir()
    expect(await readImageSize(writeUnder(dir, 'a.txt', 'hello, world'))).toBeNull()
    expect(await readImageSize(writeUnder(dir, 'e.png', ''))).toBeNull()
    expect(await readImageSize(writeUnder(dir, 'cut.png', pngHeader(10, 10).subarray(0, 20)))).toBeNull()
    expect(await readImageSize(writeUnder(dir, 'j.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xd9])))).toBeNull()
    expect(await readImageSize(join(dir, 'a.txt'))).toBeNull()
  })
})
