import { didYouMean } from './did-you-mean.ts'

/** Schemes an engine exists or is planned for; checked at start-up so a typo fails fast. */
export const BROKER_SCHEMES = ['sqlite', 'redis', 'rediss', 'upstash'] as const

/**
 * Why a broker URL is unusable, or null when it is fine. The message names only the scheme, never
 * the URL: a URL may carry a password and messages end up in logs.
 */
export function brokerUrlProblem(url: string): string | null {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)
  const known = BROKER_SCHEMES.map((s) => `${s}:`).join(', ')
  if (!match) return `expected a URL such as sqlite://./data/celeriac.db (schemes: ${known})`
  const scheme = (match[1] as string).toLowerCase()
  if ((BROKER_SCHEMES as readonly string[]).includes(scheme)) return null
  const guess = didYouMean(scheme, BROKER_SCHEMES)
  const suggestion = guess ? ` (did you mean '${guess}:'?)` : ''
  return `unknown broker scheme '${scheme}:'${suggestion}; supported: ${known}`
}
