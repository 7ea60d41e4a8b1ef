#!/usr/bin/env bun
import { runCeleriac } from './run-celeriac.ts'

// No top-level await: the compiled binary is built with --bytecode, which does not allow it.
runCeleriac()
