import { mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { DownloadFormat } from './download-kinds.ts'

export interface DownloadFile {
  /** The id the API serves it by (GET /api/v1/files/{id}); never a path. */
  readonly id: string
  /** Appends text; awaits the write, so a caller streaming chunks keeps memory flat. */
  write(text: string): Promise<void>
  /** Closes and publishes the file under its final name; returns its size in bytes. */
  commit(): Promise<number>
  /** Closes and deletes the unfinished file (on error or abort). */
  abort(): Promise<void>
}

/**
 * A new download in `dir`, written as `<id>.<format>.part` and renamed on commit, so the API never
 * serves half a file and cleanup can spot leftovers of a crashed task.
 */
export async function createDownloadFile(dir: string, format: DownloadFormat): Promise<DownloadFile> {
  await mkdir(dir, { recursive: true })
  const id = Bun.randomUUIDv7()
  const final = join(dir, `${id}.${format}`)
  const part = `${final}.part`
  const handle = await open(part, 'wx', 0o640)
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await handle.close()
  }
  return {
    id,
    async write(text) {
      await handle.write(text)
    },
    async commit() {
      await handle.sync()
      await close()
      await rename(part, final)
      return (await stat(final)).size
    },
    async abort() {
      await close()
      await rm(part, { force: true })
    },
  }
}
