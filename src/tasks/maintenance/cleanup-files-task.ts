import { lstat, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { defineTask } from '../../core/task.ts'
import { DOWNLOAD_FILE } from '../../files/download-kinds.ts'
import type { FileTaskServices } from '../file-task-services.ts'

const DAY_MS = 86_400_000

export interface CleanupFilesResult {
  deleted: number
  bytes: number
  kept: number
}

/**
 * Deletes downloads (exports, reports, unfinished `.part` files) last written before `cutoff`.
 * Only names Celeriac makes are touched, and only regular files: a symlink is never followed.
 */
export async function cleanupDownloads(dir: string, cutoff: number): Promise<CleanupFilesResult> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[]
    throw err
  })
  const result = { deleted: 0, bytes: 0, kept: 0 }
  for (const name of names) {
    if (!DOWNLOAD_FILE.test(name)) continue
    const path = join(dir, name)
    const info = await lstat(path).catch(() => null)
    if (!info?.isFile()) continue
    if (info.mtimeMs >= cutoff) {
      result.kept++
      continue
    }
    await rm(path, { force: true })
    result.deleted++
    result.bytes += info.size
  }
  return result
}

/** maintenance.cleanup_files: exports and reports older than N days go (beat runs it daily). */
export function createCleanupFilesTask(services: FileTaskServices) {
  return defineTask({
    name: 'maintenance.cleanup_files',
    description:
      'Deletes exports and reports older than older_than_days (default: the configured files retention).',
    queue: 'maintenance',
    input: z.object({ older_than_days: z.number().min(0).max(3_650).optional() }).default({}),
    retry: { max: 3, backoff: 'exponential', delay: 60_000, maxDelay: 900_000, jitter: true },
    timeLimit: { soft: 5 * 60_000, hard: 6 * 60_000 },
    run: (input) => {
      const days = input.older_than_days ?? services.settings.filesRetentionDays
      return cleanupDownloads(services.settings.exportsDir, services.clock.now() - days * DAY_MS)
    },
  })
}
