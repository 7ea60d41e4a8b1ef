import { UnsupportedImageError } from './image-errors.ts'
import { type ImageSize, singleFrame } from './image-size.ts'
import { jpegScanEnd } from './jpeg-scan-end.ts'

/** Start-of-frame markers the decoder (jpeg-js) reads: baseline, extended and progressive DCT. */
const FRAME = new Set([0xffc0, 0xffc1, 0xffc2])
const END_OF_IMAGE = 0xffd9
const START_OF_SCAN = 0xffda
const QUANTIZATION = 0xffdb
const HUFFMAN = 0xffc4
/** Restart interval and number-of-lines: a fixed 4-byte body each. */
const FIXED_FOUR = new Set([0xffdd, 0xffdc])
const RESTART_INTERVAL = 0xffdd
/**
 * Scans a JPEG may hold. jpeg-js walks every block of the frame for each scan, so a small file with
 * thousands of near-empty scans costs thousands of full passes; progressive encoders write about 10.
 */
export const MAX_SCANS = 100

function refuse(reason: string): never {
  throw new UnsupportedImageError(reason)
}

/** APP0-15 and COM: jpeg-js skips their declared length. */
function isSkipped(marker: number): boolean {
  return (marker >= 0xffe0 && marker <= 0xffef) || marker === 0xfffe
}

/** Where a segment whose length jpeg-js recomputes from its content must end, or a refusal. */
function expectLength(data: Buffer, pos: number, length: number, name: string): number {
  if (pos + 2 <= data.length && data.readUInt16BE(pos) !== length)
    refuse(`JPEG ${name} segment at byte ${pos - 2} has a length that does not match its content`)
  return pos + length
}

/** End of a quantization segment, stepping table by table as jpeg-js does. */
function quantizationEnd(data: Buffer, pos: number): number {
  const end = pos + data.readUInt16BE(pos)
  let at = pos + 2
  while (at < end && at < data.length) {
    const precision = (data[at] as number) >> 4
    if (precision > 1) refuse(`JPEG has an invalid quantization table at byte ${at}`)
    at += 1 + (precision === 0 ? 64 : 128)
  }
  if (at !== end && at < data.length)
    refuse(`JPEG quantization segment at byte ${pos - 2} has a wrong length`)
  return end
}

/** End of a Huffman segment, stepping table by table (17 bytes plus its symbols) as jpeg-js does. */
function huffmanEnd(data: Buffer, pos: number): number {
  const length = data.readUInt16BE(pos)
  let used = 2
  while (used < length && pos + used + 17 <= data.length) {
    let symbols = 0
    for (let i = 1; i <= 16; i++) symbols += data[pos + used + i] as number
    used += 17 + symbols
  }
  if (used !== length && pos + used + 17 <= data.length)
    refuse(`JPEG Huffman segment at byte ${pos - 2} has a wrong length`)
  return pos + length
}

/** What the walk has seen so far. */
interface WalkState {
  frame: ImageSize | null
  restartInterval: boolean
  scans: number
}

/** Steps over the segment whose marker ends at `pos`: where the next marker starts, or null when the frame header is cut short. */
function stepSegment(data: Buffer, pos: number, marker: number, state: WalkState): number | null {
  if (isSkipped(marker)) {
    if (data.readUInt16BE(pos) < 2) refuse(`JPEG segment at byte ${pos - 2} has a length below 2`)
    return pos + data.readUInt16BE(pos)
  }
  if (marker === QUANTIZATION) return quantizationEnd(data, pos)
  if (marker === HUFFMAN) return huffmanEnd(data, pos)
  if (FIXED_FOUR.has(marker)) {
    state.restartInterval ||= marker === RESTART_INTERVAL
    return expectLength(data, pos, 4, 'restart or line count')
  }
  if (FRAME.has(marker)) {
    if (state.frame) refuse(`JPEG has a second frame header at byte ${pos - 2}`)
    if (pos + 8 > data.length) return null
    state.frame = singleFrame('jpeg', data.readUInt16BE(pos + 5), data.readUInt16BE(pos + 3))
    return expectLength(data, pos, 8 + 3 * (data[pos + 7] as number), 'frame')
  }
  if (marker === START_OF_SCAN) {
    if (!state.frame) refuse(`JPEG has scan data before its frame header at byte ${pos - 2}`)
    if (++state.scans > MAX_SCANS)
      refuse(`JPEG has more than ${MAX_SCANS} scans (scan ${state.scans} at byte ${pos - 2})`)
    const scan = expectLength(data, pos, 6 + 2 * (data[pos + 2] ?? 0), 'scan')
    return jpegScanEnd(data, scan, state.restartInterval)
  }
  return refuse(
    `JPEG has bytes the decoder does not read as a marker (${marker.toString(16)}) at byte ${pos - 2}`,
  )
}

/**
 * A JPEG's size as the decoder (jpeg-js) will see it. Its main loop is mirrored marker by marker:
 * "FF 00" pairs are skipped, "FF FF" fill is stepped over the way it steps, APPn/COM by their
 * length; segments whose length jpeg-js ignores (it recomputes it from the content) must declare
 * the length it will step; scan data runs to the next marker other than a restart. A byte this walk
 * cannot attribute, a frame type jpeg-js does not decode and a second frame header are refused
 * rather than guessed at, so the frame checked is the frame decoded. Null when no frame header
 * comes before the data ends.
 */
export function readJpegSize(data: Buffer): ImageSize | null {
  const state: WalkState = { frame: null, restartInterval: false, scans: 0 }
  let pos = 2
  while (pos + 2 <= data.length) {
    const marker = data.readUInt16BE(pos)
    pos += 2
    if (marker === END_OF_IMAGE) break
    if (marker === 0xff00) continue
    if (marker === 0xffff) {
      // jpeg-js steps back one byte unless a third 0xFF follows, so "FF FF C0" still reads FF C0.
      if (data[pos] !== 0xff) pos--
      continue
    }
    if (pos + 2 > data.length) break
    const next = stepSegment(data, pos, marker, state)
    if (next === null) return null
    pos = next
  }
  return state.frame
}
