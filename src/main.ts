#!/usr/bin/env bun
import type { CliIo } from './cli/command.ts'
import { reportFatalErrors } from './cli/report-fatal-errors.ts'
import { runCli } from './cli/run-cli.ts'
import { serveLibraryModule } from './cli/serve-library-module.ts'
import * as library from './index.ts'

const io: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
}
reportFatalErrors(io)
serveLibraryModule(library)
// No top-level await: the compiled binary is built with --bytecode, which does not allow it.
void runCli(process.argv.slice(2), io).then((code) => {
  // Exit once stdout has flushed: a pipe reader (`id=$(celeriac call ...)`) must get every byte.
  process.stdout.write('', () => process.exit(code))
})
