import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CONFIG_FIELDS } from '../../src/config/config-schema.ts'

const README = readFileSync(join(import.meta.dir, '../../README.md'), 'utf8')

/** The rows of the README's configuration table: env names and flags column, per row. */
function tableRows(): { envs: string[]; flags: string }[] {
  const section = README.slice(README.indexOf('## Configuration'), README.indexOf('## Deploy'))
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && line.includes('`CELERIAC_'))
    .map((line) => {
      const cells = line.split('|').map((c) => c.trim())
      return { envs: cells[2]?.match(/CELERIAC_[A-Z_]+/g) ?? [], flags: cells[3] ?? '' }
    })
}

describe("the README's configuration table", () => {
  test('lists exactly the declared fields, by environment variable', () => {
    const listed = tableRows()
      .flatMap((r) => r.envs)
      .sort()
    expect(listed).toEqual(CONFIG_FIELDS.map((f) => f.env).sort())
  })

  test('names the flag of every field that has one', () => {
    const rows = tableRows()
    for (const field of CONFIG_FIELDS.filter((f) => f.flag)) {
      const row = rows.find((r) => r.envs.includes(field.env))
      const flag = field.flag as { name: string; short?: string }
      const named =
        row?.flags.includes(`--${flag.name}`) || (flag.short && row?.flags.includes(`-${flag.short} `))
      expect(named ? field.env : `${field.env}: no --${flag.name} in its row`).toBe(field.env)
    }
  })
})
