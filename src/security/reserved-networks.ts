import { type Cidr, type IpAddress, inCidr, parseCidr } from './ip-address.ts'

/**
 * Networks an outbound request must never reach unless allow-listed: this host, private LANs,
 * link-local (which holds the cloud metadata service at 169.254.169.254), fly's private 6PN
 * (fdaa::/16, inside fc00::/7), and ranges that are not unicast on the internet.
 */
const RESERVED = [
  '0.0.0.0/8', // "this network": 0.0.0.0 reaches the local host on Linux
  '10.0.0.0/8',
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, includes 255.255.255.255
  // IPv6 forms that carry an IPv4 address, which a transition mechanism may deliver to a private
  // or loopback IPv4 host. Refused whole (IPv4-mapped ::ffff:0:0/96 is unwrapped and judged as IPv4).
  '::/96', // IPv4-compatible (also holds :: and ::1)
  '::ffff:0:0:0/96', // IPv4-translated (SIIT)
  '64:ff9b::/96', // NAT64
  '64:ff9b:1::/48', // local-use NAT64
  '2001::/32', // Teredo
  '2002::/16', // 6to4
  '100::/64',
  '2001:db8::/32',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
].map((text) => parseCidr(text) as Cidr)

export function isReservedAddress(ip: IpAddress): boolean {
  return RESERVED.some((net) => inCidr(ip, net))
}
