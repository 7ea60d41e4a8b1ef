import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppModuleError, loadAppModules } from '../../src/cli/load-app-modules.ts'
import { serveLibraryModule } from '../../src/cli/serve-library-module.ts'
import * as library from '../../src/index.ts'

const TOTAL = `import { defineTask, z } from 'celeriac'
export const total = defineTask({
  name: 'shop.total', queue: 'orders',
  input: z.object({ items: z.array(z.object({ price: z.number(), qty: z.number().int() })) }),
  run: async ({ items }) => ({ total: items.reduce((s, i) => s + i.price * i.qty, 0) }),
})
export const notATask = 42
`

let dir: string
const write = (path: string, text: string) => {
  mkdirSync(join(dir, path, '..'), { recursive: true })
  writeFileSync(join(dir, path), text)
}
const load = (...paths: string[]) =>
  loadAppModules(paths, { cwd: dir, reserved: new Set(['email.send', 'debug.noop']) })

beforeAll(() => {
  serveLibraryModule(library)
  dir = mkdtempSync(join(tmpdir(), 'app-modules-'))
  write('tasks.ts', TOTAL)
  write(
    'more/a.ts',
    `import { defineTask, z } from 'celeriac'\nexport const a = defineTask({ name: 'more.a', input: z.object({}), run: () => 'a' })\n`,
  )
  write(
    'more/b.js',
    `import { defineTask, z } from 'celeriac'\nexport default defineTask({ name: 'more.b', input: z.object({}), run: () => 'b' })\n`,
  )
  write('more/types.d.ts', 'export type X = number\n')
  write('more/a.test.ts', 'throw new Error("a test file is never imported")\n')
  write('empty/readme.md', '# no modules here\n')
  write(
    'broken.ts',
    `import { defineTask } from 'celeriac'\nexport const x = defineTask({ name: 'x', input: \n`,
  )
  write('throws.ts', `throw new Error('the database is not reachable')\n`)
  write('nothing.ts', 'export const answer = 42\n')
  write('again.ts', TOTAL.replace('export const total', 'export const total2'))
  write(
    'builtin.ts',
    `import { defineTask, z } from 'celeriac'\nexport const t = defineTask({ name: 'email.send', input: z.object({}), run: () => 1 })\n`,
  )
  write(
    'bad-spec.ts',
    `import { defineTask, z } from 'celeriac'\nexport const t = defineTask({ name: 'bad spec!', input: z.object({}), run: () => 1 })\n`,
  )
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('loading -A task modules', () => {
  test("imports a TypeScript module whose only import is 'celeriac' and returns the tasks it exports", async () => {
    const [total, ...rest] = await load('./tasks.ts')
    expect(rest).toEqual([])
    expect(total?.name).toBe('shop.total')
    expect(total?.options.queue).toBe('orders')
    // The module's schema is the library's own zod: it validates as the binary's schemas do.
    expect(total?.input.parse({ items: [{ price: 2.5, qty: 4 }] })).toEqual({
      items: [{ price: 2.5, qty: 4 }],
    })
    expect(await total?.run({ items: [{ price: 2.5, qty: 4 }] }, {} as never)).toEqual({ total: 10 })
  })

  test('takes a folder: its .ts and .js modules in name order, without declarations or tests', async () => {
    expect((await load('more')).map((t) => t.name)).toEqual(['more.a', 'more.b'])
  })

  test('takes several modules and keeps them apart', async () => {
    expect((await load('tasks.ts', 'more')).map((t) => t.name)).toEqual(['shop.total', 'more.a', 'more.b'])
  })

  const refusals: [string, string[], string][] = [
    ['a missing file', ['gone.ts'], "app module 'gone.ts': no such file or folder"],
    ['a folder without modules', ['empty'], "app module 'empty': the folder holds no .ts or .js module"],
    ['a syntax error', ['broken.ts'], "app module 'broken.ts': failed to load"],
    ['a module that throws while loading', ['throws.ts'], 'the database is not reachable'],
    ['a module that exports no task', ['nothing.ts'], "app module 'nothing.ts': exports no task"],
    [
      'a name defined twice',
      ['tasks.ts', 'again.ts'],
      "app module 'again.ts': task 'shop.total' is already defined in 'tasks.ts'",
    ],
    [
      'a built-in task name',
      ['builtin.ts'],
      "app module 'builtin.ts': task 'email.send' is a built-in task's name",
    ],
    ['a task whose own settings are invalid', ['bad-spec.ts'], 'name: letters, digits and _ . : - only'],
  ]
  for (const [what, paths, message] of refusals) {
    test(`refuses ${what}, naming the file`, async () => {
      const attempt = load(...paths)
      await expect(attempt).rejects.toBeInstanceOf(AppModuleError)
      await expect(attempt).rejects.toThrow(message)
    })
  }
})
