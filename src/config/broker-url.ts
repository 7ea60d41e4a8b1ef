import { KNOWN_SCHEMES } from '../brokers/create-broker.ts'
import { didYouMean } from './did-you-mean.ts'

/** Schemes an engine exists or is planned for (one list, owned by createBroker); checked at start-up. */
export const BROKER_SCHEMES: readonly string[] = KNOWN_SCHEMES

/**
 * Why a broker URL is unusable, or null when it is fine. The message names only the scheme, never
 * the URL: a URL may carry a password and messages end up in logs.
 */
export function brokerUrlProblem(url: string): string | null {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)
  const known = BROKER_SCHEMES.map((s) => `${s}:`).join(', ')
  if (!match) return `expected a URL such as sqlite://./data/celeriac.db (schemes: ${known})`
  const scheme = (match[1] as string).toLowerCase()
  if (BROKER_SCHEMES.includes(scheme)) return null
  const guess = didYouMean(scheme, BROKER_SCHEMES)
  const suggestion = guess ? ` (did you mean '${guess}:'?)` : ''
  return `unknown broker scheme '${scheme}:'${suggestion}; supported: ${known}`
}
