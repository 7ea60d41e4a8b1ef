import type { BrokerEngine } from '../brokers/broker.ts'
import type { Config } from '../config/config-schema.ts'
import type { Logger } from '../core/logger.ts'
import type { TaskRegistry } from '../core/registry.ts'
import type { FlagSpecs, ParsedArgs } from './parse-flags.ts'

/** Where a command writes and what it reads from its process: swapped for buffers in tests. */
export interface CliIo {
  /** Writes one line (or block) to stdout: what scripts read. */
  out(text: string): void
  /** Writes one line to stderr: errors, usage, progress. */
  err(text: string): void
  readonly env: Readonly<Record<string, string | undefined>>
  /** What the user's own entry compiled in (run-celeriac.ts): its tasks are taken as from a `-A` module. */
  readonly compiledTasks?: readonly unknown[]
}

export interface CommandContext {
  readonly config: Config
  readonly io: CliIo
  readonly log: Logger
  readonly registry: TaskRegistry
  /** Opens the configured broker on first use; the CLI closes it when the command returns. */
  broker(): Promise<BrokerEngine>
}

/** One subcommand: its flags, its help, and a run that returns the exit code. */
export interface Command {
  readonly name: string
  readonly summary: string
  /** What follows `celeriac <name>` in the usage line: `<task> [options]`. */
  readonly args: string
  /** Extra help lines: sub-actions, examples, exit codes. */
  readonly details?: readonly string[]
  readonly flags: FlagSpecs
  /**
   * A long-running role (worker, api, beat, all): creates the broker's storage when missing and
   * waits for an unreachable broker. Client commands only open an existing one, and fail fast.
   */
  readonly role?: true
  run(ctx: CommandContext, args: ParsedArgs): Promise<number>
}
