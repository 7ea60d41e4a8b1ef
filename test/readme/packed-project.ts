import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './readme-blocks.ts'

/** Runs a command to completion; throws with the end of its stderr when it fails. */
export function run(command: string[], cwd: string): string {
  const result = Bun.spawnSync(command, { cwd, stdout: 'pipe', stderr: 'pipe' })
  if (result.exitCode !== 0)
    throw new Error(`${command.join(' ')}: ${result.stderr.toString().slice(-2_000)}`)
  return result.stdout.toString()
}

/**
 * A Bun project of its own in a new temp folder, with this repository packed by `npm pack` and
 * installed by `bun add <tarball>`, as the README tells a user. Returns the temp folder (remove it
 * when done) and the project inside it.
 */
export function createPackedProject(prefix: string, name: string): { dir: string; project: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  run(['npm', 'pack', '--silent', '--pack-destination', dir], ROOT)
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz')) as string
  const project = join(dir, name)
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }))
  run([process.execPath, 'add', join(dir, tarball)], project)
  return { dir, project }
}
