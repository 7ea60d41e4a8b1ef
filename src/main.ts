#!/usr/bin/env bun
import { restartRoleWithRuntimeOptions } from './cli/runtime-options.ts'

// A role restarts itself before the rest of the program loads: that restart then costs little.
restartRoleWithRuntimeOptions(process.argv.slice(2))
// No top-level await: the compiled binary is built with --bytecode, which does not allow it.
void import('./run-celeriac.ts').then(({ runCeleriac }) => runCeleriac())
