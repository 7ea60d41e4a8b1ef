/**
 * What storing a task costs Redis under three key layouts, on a private redis-server (free
 * loopback port, no persistence, stopped at the end): N tasks written by a script in batches of
 * 100, each with Celeriac's ~420-byte message of a no-op task and its five small fields.
 *   - one hash per task holding the message too (today's layout: the message is over
 *     hash-max-listpack-value, so the hash takes Redis's hashtable encoding);
 *   - a small hash per task (listpack encoding) and the message in a string key of its own;
 *   - a small hash per task and the message as a field of one shared hash.
 * Prints Redis CPU, the script's and each command's time, and memory per task.
 *
 *   bun bench/redis-layouts.ts [--tasks 30000]
 */
import { parseArgs } from 'node:util'
import { noopMessageJson } from './noop-message.ts'
import { startBenchRedis } from './vs-bullmq/redis-server.ts'

const { values } = parseArgs({ options: { tasks: { type: 'string', default: '30000' } } })
const N = Number(values.tasks)
const BATCH = 100
const message = noopMessageJson()
// KEYS[1] the task key prefix, KEYS[2] the message; ARGV the batch's ids.
const FIELDS = `'n', 'debug.noop', 'p', '5', 's', 'PENDING', 'c', '1796497924946', 'ra', '1796497924946'`
const LAYOUTS: Record<string, string> = {
  'one hash, message inside (today)': `for i = 1, #ARGV do
    redis.call('HSET', KEYS[1] .. ARGV[i], 'm', KEYS[2], ${FIELDS}) end`,
  'small hash + message string key': `for i = 1, #ARGV do
    redis.call('HSET', KEYS[1] .. ARGV[i], ${FIELDS})
    redis.call('SET', KEYS[1] .. ARGV[i] .. ':m', KEYS[2]) end`,
  'small hash + shared message hash': `for i = 1, #ARGV do
    redis.call('HSET', KEYS[1] .. ARGV[i], ${FIELDS})
    redis.call('HSET', KEYS[1] .. 'messages', ARGV[i], KEYS[2]) end`,
}

const redis = await startBenchRedis()
const r = redis.admin
const perTask = (info: string, command: string) => {
  const m = new RegExp(`cmdstat_${command}:calls=(\\d+),usec=(\\d+)`).exec(info)
  return m ? Number(m[2]) / N : 0
}
console.log(`${N} tasks per layout, batches of ${BATCH}, two rounds`)
try {
  for (let round = 0; round < 2; round++) {
    for (const [label, lua] of Object.entries(LAYOUTS)) {
      await redis.flush()
      await r.config('RESETSTAT')
      const before = await redis.cpuUs()
      for (let i = 0; i < N; i += BATCH) {
        const ids = Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => `${round}-${i + j}`)
        await r.eval(lua, 2, '{q}:t:', message, ...ids)
      }
      const cpu = ((await redis.cpuUs()) - before) / N
      const stats = (await r.info('commandstats')) as string
      const memory = Number(/used_memory:(\d+)/.exec((await r.info('memory')) as string)?.[1]) / N
      console.log(
        `${label.padEnd(34)} Redis CPU ${cpu.toFixed(2)} µs/task (script ${perTask(stats, 'eval').toFixed(2)}: HSET ${perTask(stats, 'hset').toFixed(2)}, SET ${perTask(stats, 'set').toFixed(2)}), memory ${memory.toFixed(0)} B/task`,
      )
    }
  }
} finally {
  await redis.stop()
}
