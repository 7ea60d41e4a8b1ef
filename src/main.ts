#!/usr/bin/env bun
import { runCli } from './cli/run-cli.ts'

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
})
process.exit(code)
