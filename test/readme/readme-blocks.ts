import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export const ROOT = join(import.meta.dir, '../..')
export const README = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** The lines of the first fenced code block after `marker` in the README (fails loudly if gone). */
export function blockAfter(marker: string): string[] {
  const at = README.indexOf(marker)
  if (at < 0) throw new Error(`README: no text '${marker}' (the example this test runs moved?)`)
  const fence = /```[a-z]*\n([\s\S]*?)```/.exec(README.slice(at))
  if (!fence?.[1]) throw new Error(`README: no code block after '${marker}'`)
  return fence[1].split('\n').filter((line) => line.trim() !== '')
}

/** A shell line without its trailing comment (two spaces or more, then `#`). */
export function withoutComment(line: string): string {
  return line.replace(/\s{2,}#.*$/, '').trim()
}

/**
 * Every command a usage line stands for: `[optional]` parts dropped, and each `a|b|c` word (outside
 * quotes) expanded into one command per alternative.
 */
export function expandUsage(line: string): string[][] {
  const words = withoutComment(line)
    .replace(/\s*\[[^\]]*\]/g, '')
    .match(/'[^']*'|"[^"]*"|\S+/g) as string[]
  let commands: string[][] = [[]]
  for (const word of words) {
    const unquoted = word.startsWith("'") || word.startsWith('"') ? word.slice(1, -1) : word
    const alternatives = word === unquoted && word.includes('|') ? word.split('|') : [unquoted]
    commands = commands.flatMap((c) => alternatives.map((alt) => [...c, alt]))
  }
  return commands
}
