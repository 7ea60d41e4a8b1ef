import type { CliIo } from './cli/command.ts'
import { reportFatalErrors } from './cli/report-fatal-errors.ts'
import { runCli } from './cli/run-cli.ts'
import { restartRoleWithRuntimeOptions } from './cli/runtime-options.ts'
import { serveLibraryModule } from './cli/serve-library-module.ts'
import * as library from './index.ts'

export interface RunCeleriacOptions {
  /**
   * Tasks compiled into this program (all the values of a tasks module are fine: only
   * what defineTask returned is taken), known to every role and command as if loaded with `-A`,
   * which still works on top. This is how a user's own `bun build --compile` entry ships its tasks
   * inside one binary.
   */
  tasks?: readonly unknown[]
  /** The arguments after the program name; default: this process's. */
  argv?: readonly string[]
}

/**
 * The celeriac command line, run in this process: what the celeriac binary is, and what a user's
 * own entry calls (`import { runCeleriac } from 'celeriac/cli'`) to build a binary with its tasks
 * inside. Exits the process with the command's code once stdout has flushed.
 */
export function runCeleriac(options: RunCeleriacOptions = {}): void {
  const argv = options.argv ?? process.argv.slice(2)
  // A user's own entry restarts here, before anything has started (the celeriac binary already has).
  restartRoleWithRuntimeOptions(argv)
  const io: CliIo = {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    compiledTasks: options.tasks ?? [],
  }
  reportFatalErrors(io)
  serveLibraryModule(library)
  void runCli(argv, io).then((code) => {
    // Exit once stdout has flushed: a pipe reader (`id=$(celeriac call ...)`) must get every byte.
    process.stdout.write('', () => process.exit(code))
  })
}
