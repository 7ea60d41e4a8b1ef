import { type Cidr, type IpAddress, inCidr, parseCidr } from './ip-address.ts'

/** Which otherwise-refused destinations an operator permits (config `outboundAllowList`). */
export interface OutboundAllowList {
  /** True when the host name itself is listed (`hooks.internal`, or `*.internal` for any below it). */
  allowsHost(host: string): boolean
  /** True when the address falls in a listed IP or CIDR (`127.0.0.1`, `10.0.0.0/8`, `fdaa::/16`). */
  allowsAddress(ip: IpAddress): boolean
}

/** A host name compared the way DNS does: lower case, without the root's trailing dot. */
export function normalizeHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  return bare.toLowerCase().replace(/\.$/, '')
}

/** Builds the list from config entries; an entry that is neither a name nor a network is an error. */
export function createOutboundAllowList(entries: readonly string[]): OutboundAllowList {
  const networks: Cidr[] = []
  const names: string[] = []
  const suffixes: string[] = []
  for (const entry of entries) {
    const cidr = parseCidr(entry)
    if (cidr) networks.push(cidr)
    else if (entry.startsWith('*.')) suffixes.push(normalizeHost(entry.slice(1)))
    else names.push(normalizeHost(entry))
  }
  return {
    allowsHost: (host) => {
      const name = normalizeHost(host)
      return names.includes(name) || suffixes.some((suffix) => name.endsWith(suffix))
    },
    allowsAddress: (ip) => networks.some((net) => inCidr(ip, net)),
  }
}

/** What an allow-list entry must look like: for config validation. */
export const ALLOW_ENTRY = /^(\*\.)?[A-Za-z0-9_.-]+$|^[0-9A-Fa-f:.]+(\/\d{1,3})?$/
