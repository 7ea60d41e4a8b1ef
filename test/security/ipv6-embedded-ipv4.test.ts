import { describe, expect, test } from 'bun:test'
import { checkOutboundUrl } from '../../src/security/check-outbound-url.ts'
import { createOutboundAllowList } from '../../src/security/outbound-allow-list.ts'
import { OutboundUrlError } from '../../src/security/outbound-url-error.ts'
import { resolveOutbound } from '../../src/security/resolve-outbound.ts'

const none = createOutboundAllowList([])

/**
 * IPv6 forms that carry an IPv4 address (and so may reach 127.0.0.1 or a private LAN through a
 * transition mechanism), each spelled in hex and, where IPv6 allows it, with a dotted tail.
 */
const EMBEDDED_IPV4: [form: string, host: string][] = [
  ['IPv4-compatible ::/96, hex', '[::7f00:1]'],
  ['IPv4-compatible ::/96, dotted', '[::127.0.0.1]'],
  ['IPv4-compatible ::/96, full', '[0:0:0:0:0:0:127.0.0.1]'],
  ['IPv4-compatible ::/96, private', '[::a00:1]'],
  ['IPv4-compatible ::/96, public inside', '[::808:808]'],
  ['IPv4-translated ::ffff:0:0/96, hex', '[::ffff:0:7f00:1]'],
  ['IPv4-translated ::ffff:0:0/96, dotted', '[::ffff:0:127.0.0.1]'],
  ['IPv4-translated ::ffff:0:0/96, full', '[0:0:0:0:ffff:0:7f00:0001]'],
  ['IPv4-mapped ::ffff:0:0/96, dotted', '[::ffff:127.0.0.1]'],
  ['IPv4-mapped ::ffff:0:0/96, hex', '[::ffff:7f00:1]'],
  ['IPv4-mapped, full and upper case', '[0:0:0:0:0:FFFF:7F00:0001]'],
  ['6to4 2002::/16, loopback inside', '[2002:7f00:1::]'],
  ['6to4 2002::/16, private inside', '[2002:a00:1::1]'],
  ['6to4 2002::/16, public inside', '[2002:808:808::1]'],
  ['Teredo 2001::/32', '[2001:0:4136:e378:8000:63bf:80ff:fffe]'],
  ['Teredo 2001::/32, short', '[2001::7f00:1]'],
  ['NAT64 64:ff9b::/96, hex', '[64:ff9b::7f00:1]'],
  ['NAT64 64:ff9b::/96, dotted', '[64:ff9b::127.0.0.1]'],
  ['NAT64 64:ff9b::/96, public inside', '[64:ff9b::808:808]'],
  ['local NAT64 64:ff9b:1::/48, hex', '[64:ff9b:1::a00:1]'],
  ['local NAT64 64:ff9b:1::/48, dotted', '[64:ff9b:1::10.0.0.1]'],
  ['local NAT64 64:ff9b:1::/48, deep', '[64:ff9b:1:ffff:ffff:ffff:7f00:1]'],
]

const PUBLIC_IPV6 = [
  '[2606:4700:4700::1111]',
  '[2001:4860:4860::8888]',
  '[2a00:1450:4001:82a::200e]',
  '[2001:1::1]', // next to Teredo, not in it
  '[2003::1]', // next to 6to4, not in it
  '[64:ff9c::1]', // next to NAT64, not in it
]

describe('outbound URL guard: IPv6 that embeds IPv4', () => {
  test.each(EMBEDDED_IPV4)('refuses %s (%s) in a URL', (_form, host) => {
    expect(() => checkOutboundUrl(`http://${host}/hook`, none)).toThrow(OutboundUrlError)
  })

  test.each(EMBEDDED_IPV4)('refuses %s (%s) as a DNS answer', async (_form, host) => {
    const dns = async () => [host.slice(1, -1)]
    await expect(resolveOutbound('https://hooks.example/x', none, dns)).rejects.toThrow(OutboundUrlError)
  })

  test.each(PUBLIC_IPV6)('still allows the public IPv6 address %s', async (host) => {
    expect(checkOutboundUrl(`https://${host}/hook`, none).hostname).toBe(host.toLowerCase())
    const dns = async () => [host.slice(1, -1)]
    const target = await resolveOutbound('https://hooks.example/x', none, dns)
    expect(target.address).toBe(host.slice(1, -1))
  })

  test('an allow-list entry for the IPv6 network lets the embedded form through', () => {
    const allow = createOutboundAllowList(['2002::/16', '64:ff9b:1::/48', '::/96'])
    expect(checkOutboundUrl('http://[2002:a00:1::1]/', allow).hostname).toBe('[2002:a00:1::1]')
    expect(checkOutboundUrl('http://[64:ff9b:1::a00:1]/', allow).hostname).toBe('[64:ff9b:1::a00:1]')
    expect(checkOutboundUrl('http://[::a00:1]/', allow).hostname).toBe('[::a00:1]')
  })
})
