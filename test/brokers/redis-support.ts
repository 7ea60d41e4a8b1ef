import { type Cluster, Redis } from 'ioredis'
import { RedisKeys } from '../../src/brokers/redis/keys.ts'

/** The shared test server (CI starts it); a missing server fails the tests with a clear message. */
export const REDIS_URL = process.env.CELERIAC_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0'

/** The URL with `?client=` set (Bun's built-in client or ioredis), keeping its other parameters. */
export function withClient(url: string, client: 'bun' | 'ioredis'): string {
  return `${url}${url.includes('?') ? '&' : '?'}client=${client}`
}

let counter = 0
/** Key prefixes unique across test files and runs. */
export function testPrefix(label: string): string {
  counter++
  return `celeriac-test:${label}:${process.pid}:${Date.now().toString(36)}:${counter}`
}

/** Deletes every key of the given prefixes (SCAN + UNLINK; never FLUSHDB). */
export async function deleteKeys(url: string, prefixes: string[], cluster?: Cluster): Promise<void> {
  const nodes = cluster ? cluster.nodes('master') : [new Redis(url)]
  for (const node of nodes) {
    for (const prefix of prefixes) {
      const pattern = new RedisKeys(prefix).pattern()
      let cursor = '0'
      do {
        const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
        cursor = next
        // One pipeline per page (a round trip per key made a file's cleanup outlast the 5 s hook
        // limit), one UNLINK per key (a cluster node refuses keys of two slots in one command).
        const unlinks = node.pipeline()
        for (const key of found) unlinks.unlink(key)
        if (found.length > 0) await unlinks.exec()
      } while (cursor !== '0')
    }
  }
  if (!cluster) for (const node of nodes) node.disconnect()
}
