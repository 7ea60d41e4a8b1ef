import { lstat, realpath } from 'node:fs/promises'
import { join, resolve, sep } from 'node:path'
import { DOWNLOAD_ID, DOWNLOAD_TYPES, type DownloadFormat } from './download-kinds.ts'

export interface Download {
  /** Absolute path inside the exports folder. */
  path: string
  /** A name for Content-Disposition. */
  filename: string
  contentType: string
  bytes: number
}

/**
 * Finds the file of a download id (from an export or report result) for the API's
 * `GET /api/v1/files/{id}`: null for anything that is not a finished download in `exportsDir`.
 * The id is checked as a UUID before it touches the file system, and the found file must be a
 * regular file whose real path is inside the folder.
 */
export async function resolveDownload(exportsDir: string, id: string): Promise<Download | null> {
  if (!DOWNLOAD_ID.test(id)) return null
  let root: string
  try {
    root = await realpath(resolve(exportsDir))
  } catch {
    return null
  }
  for (const format of Object.keys(DOWNLOAD_TYPES) as DownloadFormat[]) {
    const filename = `${id}.${format}`
    const path = join(root, filename)
    const info = await lstat(path).catch(() => null)
    if (!info?.isFile() || !path.startsWith(root + sep)) continue
    return { path, filename, contentType: DOWNLOAD_TYPES[format], bytes: info.size }
  }
  return null
}
