import type { Redis } from 'ioredis'

/** Deletes every key matching `pattern` (SCAN + UNLINK per page; never FLUSHDB on a shared server). */
export async function deleteMatching(admin: Redis, pattern: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
    cursor = next
    if (keys.length > 0) await admin.unlink(...keys)
  } while (cursor !== '0')
}
