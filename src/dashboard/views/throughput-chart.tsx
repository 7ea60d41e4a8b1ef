/** @jsxImportSource hono/jsx */
import type { Throughput } from '../data/throughput.ts'

const WIDTH = 600
const HEIGHT = 120

/**
 * Succeeded (stacked under failed) tasks per second per bucket as an inline SVG bar chart, drawn
 * on the server: no chart library and no script, and each bar has a tooltip. The SVG stretches to
 * the page's width, so its labels are HTML around it (text inside would stretch too).
 */
export function ThroughputChart(p: { data: Throughput }) {
  const { succeeded, failed, bucketMs } = p.data
  const perSecond = (n: number) => n / (bucketMs / 1000)
  const peak = Math.max(1, ...succeeded.map((s, i) => s + (failed[i] ?? 0)))
  const barWidth = WIDTH / succeeded.length
  const y = (n: number) => (n / peak) * (HEIGHT - 2)
  const minutes = Math.round((bucketMs * succeeded.length) / 60_000)
  return (
    <figure class="chart">
      <div class="chart-label">{`peak ${perSecond(peak).toFixed(2)} tasks/s`}</div>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label="tasks per second, last hour"
      >
        <line x1="0" y1="1" x2={WIDTH} y2="1" class="grid" />
        <line x1="0" y1={HEIGHT} x2={WIDTH} y2={HEIGHT} class="axis" />
        {succeeded.map((ok, i) => {
          const bad = failed[i] ?? 0
          const x = i * barWidth
          const okHeight = y(ok)
          const badHeight = y(bad)
          return (
            <g>
              <title>{`${ok} succeeded, ${bad} failed (${perSecond(ok + bad).toFixed(2)}/s)`}</title>
              <rect x={x + 0.5} y={HEIGHT - okHeight} width={barWidth - 1} height={okHeight} class="ok" />
              <rect
                x={x + 0.5}
                y={HEIGHT - okHeight - badHeight}
                width={barWidth - 1}
                height={badHeight}
                class="bad"
              />
            </g>
          )
        })}
      </svg>
      <div class="chart-axis">
        <span>{`−${minutes} min`}</span>
        <span>now</span>
      </div>
    </figure>
  )
}
