/** @jsxImportSource hono/jsx */
import type { WorkerStatus } from '../../brokers/broker.ts'
import { ago, bytes, isoTime } from './format.ts'
import { PostButton } from './post-button.tsx'
import type { ViewContext } from './render.tsx'

function WorkerRow(p: { worker: WorkerStatus; view: ViewContext }) {
  const w = p.worker
  const status = w.online ? w.status : 'offline'
  return (
    <tr class={w.online ? '' : 'offline'} data-worker={w.name}>
      <td>
        <strong>{w.name}</strong>
        <div class="sub">{`v${w.version}`}</div>
      </td>
      <td>
        <span class={`badge worker-${status}`}>{status}</span>
        {!w.online && <div class="sub">{`since ${isoTime(w.lastHeartbeat)}`}</div>}
      </td>
      <td>{`${w.host} / ${w.pid}`}</td>
      <td>{w.queues.join(', ')}</td>
      <td class="num">{`${w.active.length} / ${w.concurrency}`}</td>
      <td class="num">{`${w.processed} / ${w.failed}`}</td>
      <td class="num">{bytes(w.rssBytes)}</td>
      <td title={isoTime(w.lastHeartbeat)}>{ago(w.lastHeartbeat, p.view.now)}</td>
      <td>
        {w.online && (
          <PostButton
            {...p.view}
            action={`/workers/${encodeURIComponent(w.name)}/shutdown`}
            label="Shut down"
            kind="danger"
            title="Drain: finish running tasks, then exit"
          />
        )}
      </td>
    </tr>
  )
}

/** Every known worker; offline ones stay listed (with when they went silent) until pruned. */
export function WorkersView(p: { workers: WorkerStatus[]; ttlMs: number; view: ViewContext }) {
  if (p.workers.length === 0) return <p class="empty">No workers have reported in.</p>
  return (
    <>
      <div class="table-wrap">
        <table id="worker-table">
          <thead>
            <tr>
              <th>Worker</th>
              <th>Status</th>
              <th>Host / pid</th>
              <th>Queues</th>
              <th class="num">Active / slots</th>
              <th class="num">Processed / failed</th>
              <th class="num">Memory</th>
              <th>Last heartbeat</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {p.workers.map((worker) => (
              <WorkerRow worker={worker} view={p.view} />
            ))}
          </tbody>
        </table>
      </div>
      <p class="sub">{`Offline workers are forgotten ${Math.round(p.ttlMs / 60_000)} min after their last heartbeat.`}</p>
    </>
  )
}
