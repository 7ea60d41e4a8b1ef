/** @jsxImportSource hono/jsx */
import type { QueueStats, WorkerStatus } from '../../brokers/broker.ts'
import type { Throughput } from '../data/throughput.ts'
import { duration, percent } from './format.ts'
import type { ViewContext } from './render.tsx'
import { ThroughputChart } from './throughput-chart.tsx'

export interface OverviewData {
  workers: WorkerStatus[]
  queues: QueueStats[]
  throughput: Throughput
}

/** Enough digits to tell a quiet hour from an idle one. */
function rate(perSecond: number): string {
  return perSecond >= 10
    ? perSecond.toFixed(0)
    : perSecond >= 0.1
      ? perSecond.toFixed(2)
      : perSecond.toFixed(3)
}

function Stat(p: { label: string; value: string; id: string; tone?: string }) {
  return (
    <div class={`stat ${p.tone ?? ''}`} id={p.id}>
      <div class="value">{p.value}</div>
      <div class="label">{p.label}</div>
    </div>
  )
}

function QueueTable(p: { queues: QueueStats[]; view: ViewContext }) {
  if (p.queues.length === 0) return <p class="empty">No queues yet.</p>
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Queue</th>
            <th class="num">Waiting</th>
            <th class="num">Delayed</th>
            <th class="num">Active</th>
            <th class="num">Dead</th>
            <th>Oldest waiting</th>
          </tr>
        </thead>
        <tbody>
          {p.queues.map((q) => (
            <tr>
              <td>
                <a href={`${p.view.base}/tasks?queue=${encodeURIComponent(q.queue)}`}>{q.queue}</a>
              </td>
              <td class="num">{q.waiting}</td>
              <td class="num">{q.delayed}</td>
              <td class="num">{q.active}</td>
              <td class="num">{q.dead}</td>
              <td>{q.oldestAgeMs === null ? '—' : duration(q.oldestAgeMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Workers online, the last hour's throughput and success rate, queue backlogs. */
export function OverviewView(p: { data: OverviewData; view: ViewContext }) {
  const { workers, queues, throughput } = p.data
  const ok = throughput.succeeded.reduce((a, b) => a + b, 0)
  const bad = throughput.failed.reduce((a, b) => a + b, 0)
  const seconds = (throughput.bucketMs * throughput.succeeded.length) / 1000
  const online = workers.filter((w) => w.online).length
  const backlog = queues.reduce((sum, q) => sum + q.waiting, 0)
  return (
    <>
      <div class="stats">
        <Stat
          id="stat-workers"
          label="workers online"
          value={String(online)}
          tone={online ? 'good' : 'warn'}
        />
        <Stat id="stat-succeeded" label="succeeded, last hour" value={String(ok)} />
        <Stat id="stat-failed" label="failed, last hour" value={String(bad)} tone={bad ? 'warn' : ''} />
        <Stat id="stat-rate" label="success rate" value={percent(ok, ok + bad)} />
        <Stat id="stat-tps" label="tasks/s (hour average)" value={rate((ok + bad) / seconds)} />
        <Stat id="stat-backlog" label="waiting in queues" value={String(backlog)} />
      </div>
      <div class="panel">
        <h2>Finished tasks per second, last hour</h2>
        <ThroughputChart data={throughput} />
        <p class="legend">
          <span class="key ok" /> succeeded <span class="key bad" /> failed
          {throughput.truncated && <em> · busy hour: counts from the newest stored tasks only</em>}
        </p>
      </div>
      <div class="panel">
        <h2>Queues</h2>
        <QueueTable queues={queues} view={p.view} />
      </div>
    </>
  )
}
