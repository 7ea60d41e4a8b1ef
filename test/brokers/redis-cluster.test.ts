import { afterAll, beforeAll } from 'bun:test'
import { Cluster } from 'ioredis'
import { createRedisBroker } from '../../src/brokers/redis/redis-broker.ts'
import { describeBroker } from './conformance.ts'
import { startRedisCluster } from './redis-server-process.ts'
import { deleteKeys, testPrefix } from './redis-support.ts'
import { describeScheduleStore } from './schedule-store-conformance.ts'

let cluster: Awaited<ReturnType<typeof startRedisCluster>> | null = null
const prefixes: string[] = []

beforeAll(async () => {
  cluster = await startRedisCluster()
}, 30_000)

afterAll(async () => {
  if (!cluster) return
  const client = new Cluster(cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })))
  await deleteKeys(cluster.url, prefixes, client)
  client.disconnect()
  await cluster.stop()
})

// The same suite on a real 3-master cluster: every script must stay within one slot.
describeBroker('redis cluster', async (clock) => {
  if (!cluster) throw new Error('the test cluster did not start')
  const prefix = testPrefix('cluster')
  prefixes.push(prefix)
  return createRedisBroker({ url: cluster.url, clock, prefix })
})

describeScheduleStore('redis cluster', async (clock) => {
  if (!cluster) throw new Error('the test cluster did not start')
  const prefix = testPrefix('cluster-sched')
  prefixes.push(prefix)
  return createRedisBroker({ url: cluster.url, clock, prefix })
})
