import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { UsageError } from './usage-error.ts'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Celery's --pidfile: the process id is written while the role runs and removed when it ends. A
 * file naming another live process is refused (two workers would share it); a stale one is reused.
 */
export function holdPidFile(path: string | null): () => void {
  if (path === null) return () => {}
  let existing: number | null = null
  try {
    existing = Number.parseInt(readFileSync(path, 'utf8'), 10)
  } catch {
    // No file yet.
  }
  if (existing !== null && Number.isInteger(existing) && existing !== process.pid && alive(existing)) {
    throw new UsageError(`--pidfile ${path}: process ${existing} is running and holds it`)
  }
  writeFileSync(path, `${process.pid}\n`)
  return () => rmSync(path, { force: true })
}
