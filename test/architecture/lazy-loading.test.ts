import { expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'

/**
 * Each role loads only what it uses: these packages are reached from the entry point only
 * through `import()` (the api's HTTP app on start, nodemailer and Handlebars on the first email,
 * papaparse on the first CSV, jimp inside an image thread), never by a static import that every
 * `celeriac worker` or `call` would evaluate at start.
 */
const LOADED_ON_USE = [
  'hono',
  '@hono/zod-openapi',
  'prom-client',
  'nodemailer',
  'handlebars',
  'papaparse',
  'jimp',
]

const SRC = resolve(import.meta.dir, '../../src')
/** Static imports and re-exports that are not type-only (those are erased). */
const STATIC_IMPORT = /^(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm

function packageOf(spec: string): string {
  const parts = spec.split('/')
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string)
}

/** Every package reached by static imports from `entry`, with the chain of files that reaches it. */
function staticPackages(entry: string): Map<string, string[]> {
  const found = new Map<string, string[]>()
  const seen = new Set<string>()
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return
    seen.add(file)
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(STATIC_IMPORT)) {
      const spec = m[1] as string
      if (spec.startsWith('.')) walk(resolve(dirname(file), spec), [...chain, relative(SRC, file)])
      else if (!found.has(packageOf(spec))) found.set(packageOf(spec), [...chain, relative(SRC, file)])
    }
  }
  walk(entry, [])
  return found
}

test('the binary reaches the api app, email, CSV and image libraries only through import() on first use', () => {
  // main.ts imports the program with import() too (after a role's restart), so the walk starts at
  // what it loads, which is also what a user's own entry imports.
  const reached = staticPackages(resolve(SRC, 'run-celeriac.ts'))
  const eager = LOADED_ON_USE.filter((p) => reached.has(p)).map((p) => `${p}: ${reached.get(p)?.join(' > ')}`)
  expect(eager).toEqual([])
  // The walk itself works: the packages every role needs are found.
  expect(reached.has('zod')).toBe(true)
  expect(reached.has('ioredis')).toBe(true)
})
