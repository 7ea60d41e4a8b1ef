import { describe, expect, test } from 'bun:test'
import { checkOutboundUrl } from '../../src/security/check-outbound-url.ts'
import { parseCidr, parseIp } from '../../src/security/ip-address.ts'
import { ALLOW_ENTRY, createOutboundAllowList } from '../../src/security/outbound-allow-list.ts'
import { OutboundUrlError } from '../../src/security/outbound-url-error.ts'
import { type ResolveHost, resolveOutbound } from '../../src/security/resolve-outbound.ts'

// Details of the outbound URL guard that mutation testing (bench/mutation.ts) showed untested:
// address parsing, CIDR and allow-list entry validation, messages, and DNS answers that are empty
// or not addresses.

const none = createOutboundAllowList([])

/** DNS answers from a table; a name not in it fails like getaddrinfo does. */
const dnsTable =
  (answers: Record<string, string[]>): ResolveHost =>
  async (host) => {
    const found = answers[host]
    if (!found) throw new Error(`getaddrinfo ENOTFOUND ${host}`)
    return found
  }

describe('address parsing', () => {
  test('reads a bracketed IPv6 literal as the address inside the brackets', () => {
    expect(parseIp('[::1]')).toEqual({ version: 6, value: 1n })
    expect(parseIp('[::1')).toBeNull()
    expect(parseIp('x::1]')).toBeNull()
  })

  test('expands :: in the middle and at either end of an IPv6 address', () => {
    expect(parseIp('2001:db8::1')?.value).toBe((0x20010db8n << 96n) | 1n)
    expect(parseIp('fe80::')?.value).toBe(0xfe80n << 112n)
    expect(parseIp('::2')?.value).toBe(2n)
  })

  test('unwraps IPv4-mapped IPv6 written with a dotted quad of any octet widths', () => {
    expect(parseIp('::ffff:192.168.100.200')).toEqual({ version: 4, value: 0xc0a864c8n })
  })

  test('accepts only whole, in-range prefix lengths in a CIDR', () => {
    expect(parseCidr('0.0.0.0/0')).toEqual({ version: 4, base: 0n, bits: 0 })
    expect(parseCidr('10.0.0.0/32')).toMatchObject({ bits: 32 })
    expect(parseCidr('fdaa::/128')).toMatchObject({ version: 6, bits: 128 })
    expect(parseCidr('fdaa::/16')).toMatchObject({ version: 6, bits: 16 })
    for (const bad of [
      '10.0.0.0/33',
      'fdaa::/129',
      '10.0.0.0/-1',
      '10.0.0.0/1.5',
      '10.0.0.0/ 8',
      '10.0.0.0/8 ',
    ]) {
      expect(parseCidr(bad)).toBeNull()
    }
  })
})

describe('allow-list entries', () => {
  test('config accepts names, wildcards, addresses and networks, and nothing else', () => {
    for (const good of ['hooks.internal', '*.internal', '127.0.0.1', '10.0.0.0/8', 'fdaa::1', 'fdaa::/16']) {
      expect(ALLOW_ENTRY.test(good)).toBe(true)
    }
    for (const bad of ['a b', 'http://x.com', 'a b/8', '10.0.0.0/8x', '10.0.0.0/1234', '*.', '']) {
      expect(ALLOW_ENTRY.test(bad)).toBe(false)
    }
  })

  test('an exact name allows that name only, not names below it or ending like it', () => {
    const allow = createOutboundAllowList(['hooks.internal'])
    expect(allow.allowsHost('hooks.internal')).toBe(true)
    expect(allow.allowsHost('HOOKS.internal.')).toBe(true)
    expect(allow.allowsHost('x.hooks.internal')).toBe(false)
    expect(allow.allowsHost('webhooks.internal')).toBe(false)
  })

  test('a wildcard allows the names below it, not the name itself', () => {
    const allow = createOutboundAllowList(['*.internal'])
    expect(allow.allowsHost('api.internal')).toBe(true)
    expect(allow.allowsHost('internal')).toBe(false)
    expect(allow.allowsHost('notinternal')).toBe(false)
  })
})

describe('outbound URL checks', () => {
  test.each(['https://[2606:4700::1111]/', 'https://[2001:4860:4860::8888]/'])(
    'accepts the public IPv6 address with :: %s',
    (url) => {
      expect(checkOutboundUrl(url, none).href).toBe(url)
    },
  )

  test('names the refused IPv6 literal without its brackets', () => {
    expect(() => checkOutboundUrl('http://[::1]/', none)).toThrow(
      'outbound url refused: address ::1 is a loopback, private, link-local or reserved address',
    )
  })

  test('says why a URL is refused: not a URL, no host, a private name', () => {
    expect(() => checkOutboundUrl('not a url', none)).toThrow(
      'outbound url refused: not a valid absolute URL',
    )
    expect(() => checkOutboundUrl('http://./', none)).toThrow('outbound url refused: no host')
    expect(() => checkOutboundUrl('http://printer.local/', none)).toThrow(
      "outbound url refused: host 'printer.local' is a local or private name",
    )
  })
})

describe('outbound URL checks with DNS', () => {
  test('never asks DNS about an IP literal', async () => {
    const target = await resolveOutbound('http://93.184.216.34/', none, dnsTable({}))
    expect(target).toMatchObject({ address: null })
  })

  test('accepts a name resolving to a public IPv4-mapped address', async () => {
    const dns = dnsTable({ 'mapped.example.com': ['::ffff:93.184.216.34'] })
    expect((await resolveOutbound('https://mapped.example.com/', none, dns)).address).toBe(
      '::ffff:93.184.216.34',
    )
  })

  test('refuses a name resolving to an IPv4-mapped private address with wide octets', async () => {
    const dns = dnsTable({ 'wide.example.com': ['::ffff:192.168.100.200'] })
    await expect(resolveOutbound('https://wide.example.com/', none, dns)).rejects.toThrow(OutboundUrlError)
  })

  test('refuses a DNS answer that is not an IP address, saying so', async () => {
    const dns = dnsTable({ 'odd.example.com': ['not-an-address'] })
    const refused = resolveOutbound('https://odd.example.com/', none, dns)
    await expect(refused).rejects.toThrow(OutboundUrlError)
    await expect(refused).rejects.toThrow(
      "host 'odd.example.com' resolved to 'not-an-address', not an IP address",
    )
  })

  test('treats an empty DNS answer as a failed lookup, never as a name to connect to', async () => {
    const dns = dnsTable({ 'empty.example.com': [] })
    await expect(resolveOutbound('https://empty.example.com/', none, dns)).rejects.toMatchObject({
      name: 'HostLookupError',
      message: "outbound url: cannot resolve 'empty.example.com': no addresses",
    })
  })

  test("a lookup error carries the resolver's own message", async () => {
    await expect(resolveOutbound('https://nowhere.example/', none, dnsTable({}))).rejects.toMatchObject({
      name: 'HostLookupError',
      message: "outbound url: cannot resolve 'nowhere.example': getaddrinfo ENOTFOUND nowhere.example",
    })
  })
})
