import { isAbsolute, resolve } from 'node:path'
import { redactUrl } from '../brokers/create-broker.ts'
import type { Config } from '../config/config-schema.ts'
import { VERSION } from '../version.ts'

/** The SQLite file a broker URL points at (resolved), or null for other engines and :memory:. */
export function dataFileOf(brokerUrl: string): string | null {
  if (!/^sqlite:/i.test(brokerUrl)) return null
  const rest = brokerUrl.slice('sqlite:'.length)
  const path = decodeURIComponent((rest.startsWith('//') ? rest.slice(2) : rest).split('?')[0] ?? '')
  if (path === '' || path === ':memory:') return null
  return isAbsolute(path) ? path : resolve(path)
}

/** One line saying what this process is and where its data lives; never the broker's password. */
export function banner(role: string, config: Config, details: Record<string, string | number>): string {
  const file = dataFileOf(config.brokerUrl)
  const parts = [`celeriac ${VERSION} ${role}`, `broker ${redactUrl(config.brokerUrl)}`]
  if (file) parts.push(`data ${file}`)
  for (const [key, value] of Object.entries(details)) parts.push(`${key} ${value}`)
  parts.push(`pid ${process.pid}`)
  return parts.join(' | ')
}
