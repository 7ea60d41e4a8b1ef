import { describe, expect, test } from 'bun:test'
import { dirname, relative, resolve } from 'node:path'
import { Glob } from 'bun'

/**
 * The layer order written at the top of the README's "Architecture" section, bottom first. A file
 * may import from its own folder and from folders in lower layers; folders that share a layer
 * are siblings and never import each other. The root files are named with their extension.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['core', 'version.ts'],
  ['celery'],
  ['security', 'files'],
  ['brokers'],
  ['config'],
  ['client'],
  ['worker', 'beat', 'threads'],
  ['auth'],
  ['api', 'dashboard', 'tasks'],
  ['server'],
  ['cli', 'celeriac.ts'],
  ['index.ts'],
  ['run-celeriac.ts'],
  ['main.ts'],
]

const SRC = resolve(import.meta.dir, '../../src')
const IMPORT =
  /(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g

interface Edge {
  from: string
  to: string
}

function readEdges(): Edge[] {
  const edges: Edge[] = []
  for (const file of new Glob('**/*.{ts,tsx}').scanSync(SRC)) {
    const text = require('node:fs').readFileSync(`${SRC}/${file}`, 'utf8') as string
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2]) as string
      const to = relative(SRC, resolve(SRC, dirname(file), spec))
      if (!to.startsWith('..')) edges.push({ from: file, to })
    }
  }
  return edges
}

const room = (file: string): string => file.split('/')[0] as string
const layerOf = (file: string): number => LAYERS.findIndex((layer) => layer.includes(room(file)))

/** Every cycle's files, found as the strongly connected components of more than one file. */
function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>()
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to])
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string): void => {
    index.set(v, index.size)
    low.set(v, index.get(v) as number)
    stack.push(v)
    onStack.add(v)
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop() as string
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1) found.push(component.sort())
    }
  }
  for (const v of next.keys()) if (!index.has(v)) visit(v)
  return found
}

describe('imports in src/', () => {
  const edges = readEdges()

  test('the scan sees the source tree (a broken pattern would pass vacuously)', () => {
    expect(edges.length).toBeGreaterThan(500)
  })

  test('every folder and root file of src/ has a layer', () => {
    const unplaced = [...new Set(edges.flatMap((e) => [e.from, e.to]).map(room))].filter(
      (r) => !LAYERS.some((layer) => layer.includes(r)),
    )
    expect(unplaced).toEqual([])
  })

  test('point down the layer order: no upward and no sideways arrow between folders', () => {
    const wrong = edges
      .filter((e) => room(e.from) !== room(e.to) && layerOf(e.from) <= layerOf(e.to))
      .map((e) => `${e.from} -> ${e.to}`)
    expect(wrong).toEqual([])
  })

  test('form no cycle between files', () => {
    expect(cycles(edges)).toEqual([])
  })
})
