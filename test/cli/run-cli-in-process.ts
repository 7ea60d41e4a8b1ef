import { runCli } from '../../src/cli/run-cli.ts'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** Runs the CLI in this process with captured output: for paths that never start a long-running role. */
export async function runInProcess(argv: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), env })
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}
