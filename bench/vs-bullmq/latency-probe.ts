/** Wall-clock milliseconds with sub-ms precision, comparable across processes on one host. */
export const hrNow = (): number => performance.timeOrigin + performance.now()

/**
 * Records each probe's enqueue→start latency (its `t` is the producer's hrNow()); once `probes`
 * have started, prints `{"p50":..,"p95":..,"p99":..}` (ms) on stdout, where the bench reads it.
 */
export function latencyRecorder(probes: number): (t: number) => void {
  const latencies: number[] = []
  return (t) => {
    latencies.push(hrNow() - t)
    if (latencies.length !== probes) return
    latencies.sort((a, b) => a - b)
    const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0
    console.log(JSON.stringify({ p50: at(0.5), p95: at(0.95), p99: at(0.99) }))
  }
}
