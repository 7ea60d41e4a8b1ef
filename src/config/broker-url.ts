import { KNOWN_SCHEMES, schemeOf } from '../brokers/create-broker.ts'
import { didYouMean } from '../core/did-you-mean.ts'

/** The schemes an engine exists for (one list, owned by createBroker); checked at start-up. */
export const BROKER_SCHEMES: readonly string[] = KNOWN_SCHEMES

/**
 * Why a broker URL is unusable, or null when it is fine. The message names only the scheme, never
 * the URL: a URL may carry a password and messages end up in logs.
 */
export function brokerUrlProblem(url: string): string | null {
  const scheme = schemeOf(url)
  const known = BROKER_SCHEMES.map((s) => `${s}:`).join(', ')
  if (scheme === null) return `expected a URL such as sqlite://./data/celeriac.db (schemes: ${known})`
  if (BROKER_SCHEMES.includes(scheme)) return null
  const guess = didYouMean(scheme, BROKER_SCHEMES)
  const suggestion = guess ? ` (did you mean '${guess}:'?)` : ''
  return `unknown broker scheme '${scheme}:'${suggestion}; supported: ${known}`
}
