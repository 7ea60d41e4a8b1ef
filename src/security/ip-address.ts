import { isIPv4, isIPv6 } from 'node:net'

/** An IP address as a number: 32 bits for IPv4, 128 for IPv6. IPv4-mapped IPv6 is unwrapped to IPv4. */
export interface IpAddress {
  version: 4 | 6
  value: bigint
}

const MAPPED_PREFIX = 0xffffn << 32n

/** Parses a literal address (brackets allowed); null when the text is not an IP address. */
export function parseIp(text: string): IpAddress | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  if (isIPv4(bare)) return { version: 4, value: ipv4Value(bare) }
  if (!isIPv6(bare)) return null
  const value = ipv6Value(bare.replace(/%.*$/, ''))
  // ::ffff:a.b.c.d reaches the IPv4 host a.b.c.d: judge it as that host, never as "some IPv6".
  if (value >> 32n === MAPPED_PREFIX >> 32n) return { version: 4, value: value & 0xffffffffn }
  return { version: 6, value }
}

function ipv4Value(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n)
}

function ipv6Value(text: string): bigint {
  let groups = text
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (dotted?.[1]) {
    const v4 = ipv4Value(dotted[1])
    groups = `${text.slice(0, -dotted[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`
  }
  const [head = '', tail] = groups.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0')
  return [...left, ...fill, ...right].reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n)
}

/** A network such as 10.0.0.0/8 or fc00::/7. */
export interface Cidr {
  version: 4 | 6
  base: bigint
  bits: number
}

/** Parses `addr/bits` or a single address (a /32 or /128); null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const [addr = '', bitsText] = text.split('/')
  const ip = parseIp(addr)
  if (!ip) return null
  const width = ip.version === 4 ? 32 : 128
  const bits = bitsText === undefined ? width : Number(bitsText)
  if (!Number.isInteger(bits) || bits < 0 || bits > width || (bitsText ?? '').trim() !== (bitsText ?? '')) {
    return null
  }
  return { version: ip.version, base: ip.value, bits }
}

export function inCidr(ip: IpAddress, cidr: Cidr): boolean {
  if (ip.version !== cidr.version) return false
  const shift = BigInt((ip.version === 4 ? 32 : 128) - cidr.bits)
  return ip.value >> shift === cidr.base >> shift
}
