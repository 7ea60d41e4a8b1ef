/**
 * The least a Bun Redis consumer can be: 50 loops pop a JSON message from one list, parse it and
 * write a small result hash. No queue semantics (no lease, no retry, no events). bench/rss-floor.ts
 * compiles it and reads its peak RSS: the floor any compiled Bun worker on Redis starts from.
 *
 *   consumer <redis url> <list key> <result key prefix> <jobs> <bun|ioredis>
 */
import { Redis } from 'ioredis'

const [url, list, resultPrefix, jobsText, client] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
]
const jobs = Number(jobsText)

interface Commands {
  rpop(key: string): Promise<string | null>
  hset(key: string, fields: Record<string, string>): Promise<unknown>
}

function connect(): Commands {
  if (client === 'ioredis') {
    const redis = new Redis(url)
    return { rpop: (k) => redis.rpop(k), hset: (k, f) => redis.hset(k, f) }
  }
  const redis = new Bun.RedisClient(url)
  return { rpop: (k) => redis.rpop(k), hset: (k, f) => redis.hset(k, f) }
}

const redis = connect()
let done = 0
async function loop(): Promise<void> {
  while (done < jobs) {
    const raw = await redis.rpop(list)
    if (raw === null) {
      await Bun.sleep(10)
      continue
    }
    const message = JSON.parse(raw) as { id: string; task: string }
    await redis.hset(`${resultPrefix}${message.id}`, { s: 'SUCCESS', res: 'null', n: message.task })
    done++
  }
}
// No top-level await: a --bytecode build compiles the entry as CommonJS, as the celeriac binary's.
Promise.all(Array.from({ length: 50 }, loop)).then(() => {
  console.log(`done ${done}`)
  process.exit(0)
})
