import { afterAll, describe, expect, test } from 'bun:test'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createPackedProject } from './packed-project.ts'
import { blockAfter } from './readme-blocks.ts'

/**
 * The README's library example, run as written in a Bun project of its own: this repository
 * packed with `npm pack` and installed with `bun add <tarball>`, as the README says.
 */
let dir = ''
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("the README's library example", () => {
  test('runs from a packed tarball in a project of its own, and the process exits by itself', async () => {
    const created = createPackedProject('readme-library-', 'shop')
    dir = created.dir
    const project = created.project
    writeFileSync(join(project, 'app.ts'), blockAfter('## As a library').join('\n'))
    const app = Bun.spawn([process.execPath, 'app.ts'], { cwd: project, stdout: 'pipe', stderr: 'pipe' })
    const timer = setTimeout(() => app.kill('SIGKILL'), 25_000)
    const [stdout, stderr, exitCode] = await Promise.all([
      new Response(app.stdout).text(),
      new Response(app.stderr).text(),
      app.exited,
    ])
    clearTimeout(timer)
    // Exiting on its own means worker.stop() and app.close() left no timer or connection behind.
    expect(exitCode, stderr).toBe(0)
    expect(stdout).toContain('path: "a.jpg"')
    expect(stdout.trim().split('\n').at(-1)).toBe('SUCCESS')
  }, 120_000)
})
