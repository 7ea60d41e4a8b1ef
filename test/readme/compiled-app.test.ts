import { afterAll, describe, expect, test } from 'bun:test'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type CeleriacEnv, RunningCeleriac, runCeleriac } from '../cli/celeriac-process.ts'
import { makeImage } from '../tasks/image/image-fixtures.ts'
import { createPackedProject, run } from './packed-project.ts'
import { blockAfter, withoutComment } from './readme-blocks.ts'

/**
 * The README's "your tasks inside your own binary": its entry and its `bun build --compile` line,
 * run as written in a project that installed the packed repository, then the binary used from an
 * empty folder, as celeriac would be.
 */
let dir = ''
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function resultOf(id: string, where: CeleriacEnv): Promise<{ state: string; result: unknown }> {
  return JSON.parse((await runCeleriac(['result', id, '--wait', '30', '--json'], where)).stdout)
}

describe("the README's own-binary example", () => {
  test('builds a binary with the tasks compiled in; it runs them, the built-in ones and the image thread', async () => {
    const created = createPackedProject('readme-compiled-', 'shop')
    dir = created.dir
    const { project } = created
    writeFileSync(join(project, 'tasks.ts'), blockAfter('## Your own tasks').join('\n'))
    writeFileSync(join(project, 'shop.ts'), blockAfter('**Your tasks inside your own binary**').join('\n'))
    const [build, start, call] = blockAfter('use the binary as you would use celeriac').map(withoutComment)
    expect(build).toStartWith('bun build --compile ')
    run([process.execPath, ...(build as string).split(' ').slice(1)], project)

    // The binary alone, in an empty folder: nothing of the project is needed any more.
    const home = join(dir, 'home')
    mkdirSync(join(home, 'data/media/uploads'), { recursive: true })
    writeFileSync(join(home, 'data/media/uploads/p.png'), await makeImage(640, 480, 'image/png'))
    const where: CeleriacEnv = { cwd: home, env: {}, bin: [join(project, 'shop')] }
    expect(start).toStartWith('./shop all --insecure')
    const all = new RunningCeleriac(['all', '--insecure', '--port', '0', '--grace', '5'], where)
    try {
      await all.waitForLog(/worker online/, 20_000)
      const callArgs = (call as string)
        .match(/'[^']*'|\S+/g)
        ?.slice(1)
        .map((w) => w.replace(/^'|'$/g, ''))
      const called = await runCeleriac(callArgs as string[], where)
      expect(called.code, called.stderr).toBe(0)
      expect(await resultOf(called.stdout, where)).toMatchObject({ state: 'SUCCESS', result: { total: 10 } })

      const image = await runCeleriac(
        ['call', 'image.process', '--input', '{"file_path":"uploads/p.png","thumbnails":[64]}'],
        where,
      )
      expect(image.code, image.stderr).toBe(0)
      expect(await resultOf(image.stdout, where)).toMatchObject({ state: 'SUCCESS' })

      const listed = await runCeleriac(['inspect', 'registered'], where)
      expect(listed.stdout).toContain('shop.total')
    } finally {
      expect(await all.stop()).toBe(0)
    }
  }, 180_000)
})
