/**
 * One long-running part of a process (worker, beat, api). `celeriac all` runs
 * several roles side by side: a new role only has to implement this to join it.
 */
export interface Role {
  readonly name: string
  start(): Promise<void>
  /** Graceful stop; resolves with the role's exit code. */
  stop(): Promise<number>
  /** Resolves with an exit code when the role ends by itself (control shutdown, max memory). */
  readonly done: Promise<number>
}
