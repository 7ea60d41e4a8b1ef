import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { UnrecoverableError } from '../../core/errors.ts'
import { defineTask } from '../../core/task.ts'
import type { FileTaskServices } from '../file-task-services.ts'

const BACKUP_FILE = /^celeriac-\d{8}T\d{6}Z\.db$/

/** Keeps the newest `keep` backups (names sort by time) and deletes the rest; returns how many went. */
async function prune(dir: string, keep: number): Promise<number> {
  const names = (await readdir(dir)).filter((n) => BACKUP_FILE.test(n)).sort()
  const old = names.slice(0, Math.max(0, names.length - keep))
  for (const name of old) await rm(join(dir, name), { force: true })
  return old.length
}

/** `celeriac-20260131T031500Z.db`: sortable, and unique per second. */
function backupName(now: number): string {
  return `celeriac-${new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.db`
}

/** maintenance.backup: an online copy of the SQLite broker, or the persistence state of a server engine. */
export function createBackupTask(services: FileTaskServices) {
  return defineTask({
    name: 'maintenance.backup',
    description:
      'SQLite: writes an online backup (VACUUM INTO) to the backups folder and keeps the newest `keep`; Redis: reports its persistence state.',
    queue: 'maintenance',
    input: z.object({ keep: z.number().int().min(1).max(365).default(7) }).default({ keep: 7 }),
    retry: { max: 2, backoff: 'exponential', delay: 60_000, maxDelay: 600_000, jitter: true },
    timeLimit: { soft: 30 * 60_000, hard: 35 * 60_000 },
    run: async (input) => {
      const admin = await services.admin()
      if (admin.backup) {
        const dir = services.settings.backupDir
        await mkdir(dir, { recursive: true })
        const file = backupName(services.clock.now())
        const { bytes } = await admin.backup(join(dir, file))
        return { kind: 'backup' as const, file, bytes, pruned: await prune(dir, input.keep) }
      }
      if (admin.persistence) return { kind: 'persistence' as const, persistence: await admin.persistence() }
      throw new UnrecoverableError(
        'maintenance.backup: this broker engine offers neither a backup nor a persistence report',
      )
    },
  })
}
