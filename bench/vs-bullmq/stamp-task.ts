/**
 * The latency probe as a task module for the compiled worker (`celeriac worker -A` this file):
 * `celeriac` resolves to the binary's own library. BENCH_PROBES says how many probes to expect.
 */
import { defineTask, z } from 'celeriac'
import { latencyRecorder } from './latency-probe.ts'

const record = latencyRecorder(Number(process.env.BENCH_PROBES ?? 0))

export const stamp = defineTask({
  name: 'bench.stamp',
  input: z.object({ t: z.number() }),
  run: ({ t }) => {
    record(t)
    return null
  },
})
