import { totalmem } from 'node:os'

/**
 * JavaScriptCore picks how far its heap may grow between collections by the RAM it sees (the
 * machine's, or a cgroup's limit when lower): from 16 GiB up, to about three times what the last
 * collection kept; below, to about twice. This option (2 by default in Bun) brings the first rule
 * down to the second. Measured on a 24 GiB machine (`bun bench/worker-rss.ts --tasks 50000`): a
 * worker draining at concurrency 50 peaked at 124 MB RSS without it and 94 MB with it, at the
 * same CPU per task. The runtime reads it once, as it starts, hence the restart below.
 */
export const HEAP_GROWTH_ENV = 'BUN_JSC_heapGrowthMaxIncrease'
const HEAP_GROWTH = '1'
/** Where JavaScriptCore switches to the faster-growing rule. */
const LARGE_RAM_BYTES = 16 * 1024 ** 3

/** The long-running roles' commands (marked `role` in their definitions; a test keeps both in step). */
export const ROLE_COMMANDS: readonly string[] = ['all', 'api', 'worker', 'beat']

// Decided once per process: the binary's main.ts asks first, runCeleriac (every entry's) again.
let decided = false

/**
 * Restarts a long-running role with the smaller heap growth (see restartWithSmallerHeapGrowth).
 * Called before the command line is parsed, which would load every module first: any argument
 * naming a role counts, so a client command that mentions one (`call all`) restarts for nothing,
 * which costs it one start-up and changes nothing else.
 */
export function restartRoleWithSmallerHeapGrowth(argv: readonly string[]): void {
  if (decided) return
  decided = true
  if (argv.some((arg) => ROLE_COMMANDS.includes(arg))) restartWithSmallerHeapGrowth()
}

/** Whether a process with this environment, seeing this much RAM, should restart with the option set. */
export function wantsHeapGrowthRestart(
  env: Readonly<Record<string, string | undefined>>,
  ramBytes: number,
): boolean {
  // An operator's own value is kept; it is also what stops the restarted process restarting again.
  return env[HEAP_GROWTH_ENV] === undefined && ramBytes >= LARGE_RAM_BYTES
}

/** The RAM JavaScriptCore sizes by: the machine's, or the cgroup's limit when lower. */
export function visibleRam(): number {
  const limit = process.constrainedMemory()
  return limit > 0 ? Math.min(totalmem(), limit) : totalmem()
}

/**
 * Replaces this process (same pid, arguments and environment, plus the option) when it would run
 * with the faster-growing heap: one more start-up (about 30 ms from the binary, which has loaded
 * nothing else yet). Where the platform cannot exec, or the exec fails, the process runs on as it is.
 */
export function restartWithSmallerHeapGrowth(): void {
  if (process.platform === 'win32' || !wantsHeapGrowthRestart(process.env, visibleRam())) return
  // A compiled binary's argv[1] is its embedded entry, which it finds by itself; from source it is the script.
  const args = Bun.isStandaloneExecutable
    ? [process.execPath, ...process.argv.slice(2)]
    : [process.execPath, ...process.execArgv, ...process.argv.slice(1)]
  try {
    process.execve?.(process.execPath, args, { ...process.env, [HEAP_GROWTH_ENV]: HEAP_GROWTH })
  } catch {
    // Runs with the runtime's default heap growth: more memory, nothing else changes.
  }
}
