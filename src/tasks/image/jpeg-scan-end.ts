import { UnsupportedImageError } from './image-errors.ts'

/**
 * Where a JPEG scan's entropy-coded data ends: the first 0xFF that is not followed by a stuffed
 * 0x00 or a restart marker (D0-D7). jpeg-js throws on any other "FF xx" inside scan data, so it
 * cannot read past this point either. Restart markers are only accepted when a restart interval
 * was declared: without one, jpeg-js would stop at the first restart after its last block and read
 * the bytes behind it as markers, a place this walk cannot follow.
 */
export function jpegScanEnd(data: Buffer, start: number, restartInterval: boolean): number {
  let pos = start
  for (;;) {
    const ff = data.indexOf(0xff, pos)
    if (ff < 0 || ff + 1 >= data.length) return data.length
    const next = data[ff + 1] as number
    if (next >= 0xd0 && next <= 0xd7 && !restartInterval)
      throw new UnsupportedImageError(`JPEG has a restart marker at byte ${ff} but no restart interval`)
    if (next !== 0 && (next < 0xd0 || next > 0xd7)) return ff
    pos = ff + 2
  }
}
