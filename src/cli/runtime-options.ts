import { totalmem } from 'node:os'

/**
 * JavaScriptCore picks how far its heap may grow between collections by the RAM it sees (the
 * machine's, or a cgroup's limit when lower): from 16 GiB up, to about three times what the last
 * collection kept; below, to about twice. This option (2 by default in Bun) brings the first rule
 * down to the second. Measured on a 24 GiB machine (`bun bench/worker-rss.ts --tasks 50000`): a
 * worker draining at concurrency 50 peaked at 124 MB RSS without it and 94 MB with it, at the
 * same CPU per task.
 */
export const HEAP_GROWTH_ENV = 'BUN_JSC_heapGrowthMaxIncrease'
const HEAP_GROWTH = '1'
/** Where JavaScriptCore switches to the faster-growing rule. */
const LARGE_RAM_BYTES = 16 * 1024 ** 3

/**
 * How much a function must run before JavaScriptCore compiles it with its top tier (FTL): ten
 * times the runtime's default of 100,000 (a call counts 15, a loop turn 1). With the default, a
 * new worker taking 1,000 tasks a second compiled its per-task code with the top tier throughout
 * its first ten seconds: 580-730 ms of compiler-thread CPU, a quarter of the worker's, competing
 * for the cores with Redis and the producers and lengthening the tail latency. A hot loop in a
 * task still reaches the top tier within about a million turns, a few milliseconds.
 */
export const FTL_THRESHOLD_ENV = 'BUN_JSC_thresholdForFTLOptimizeAfterWarmUp'
const FTL_THRESHOLD = '1000000'

/** The long-running roles' commands (marked `role` in their definitions; a test keeps both in step). */
export const ROLE_COMMANDS: readonly string[] = ['all', 'api', 'worker', 'beat']

// Decided once per process: the binary's main.ts asks first, runCeleriac (every entry's) again.
let decided = false

/**
 * Restarts a long-running role with its runtime options (see restartWithRuntimeOptions). Called
 * before the command line is parsed, which would load every module first: any argument naming a
 * role counts, so a client command that mentions one (`call all`) restarts for nothing, which
 * costs it one start-up and changes nothing else.
 */
export function restartRoleWithRuntimeOptions(argv: readonly string[]): void {
  if (decided) return
  decided = true
  if (argv.some((arg) => ROLE_COMMANDS.includes(arg))) restartWithRuntimeOptions()
}

/**
 * The options a process with this environment, seeing this much RAM, lacks. An operator's own
 * value is kept; a restarted process lacks none, which is what stops it restarting again.
 */
export function missingRuntimeOptions(
  env: Readonly<Record<string, string | undefined>>,
  ramBytes: number,
): Record<string, string> {
  const wanted: Record<string, string> = { [FTL_THRESHOLD_ENV]: FTL_THRESHOLD }
  if (ramBytes >= LARGE_RAM_BYTES) wanted[HEAP_GROWTH_ENV] = HEAP_GROWTH
  return Object.fromEntries(Object.entries(wanted).filter(([name]) => env[name] === undefined))
}

/** The RAM JavaScriptCore sizes by: the machine's, or the cgroup's limit when lower. */
export function visibleRam(): number {
  const limit = process.constrainedMemory()
  return limit > 0 ? Math.min(totalmem(), limit) : totalmem()
}

/**
 * Replaces this process (same pid, arguments and environment, plus the options it lacks): the
 * runtime reads them once, as it starts. One more start-up (about 30 ms from the binary, which
 * has loaded nothing else yet). Where the platform cannot exec, or the exec fails, the process
 * runs on as it is.
 */
export function restartWithRuntimeOptions(): void {
  if (process.platform === 'win32') return
  const missing = missingRuntimeOptions(process.env, visibleRam())
  if (Object.keys(missing).length === 0) return
  // A compiled binary's argv[1] is its embedded entry, which it finds by itself; from source it is the script.
  const args = Bun.isStandaloneExecutable
    ? [process.execPath, ...process.argv.slice(2)]
    : [process.execPath, ...process.execArgv, ...process.argv.slice(1)]
  try {
    process.execve?.(process.execPath, args, { ...process.env, ...missing })
  } catch {
    // Runs with the runtime's defaults: more memory and more compiling, nothing else changes.
  }
}
