/** @jsxImportSource hono/jsx */
import type { QueueStats } from '../../brokers/broker.ts'
import type { TaskResult } from '../../core/result.ts'
import { ago, clip, duration } from './format.ts'
import { PostButton } from './post-button.tsx'
import type { ViewContext } from './render.tsx'

function QueueRow(p: { q: QueueStats; unconsumed: boolean; view: ViewContext }) {
  const { q, view } = p
  const name = encodeURIComponent(q.queue)
  return (
    <tr data-queue={q.queue}>
      <td>
        <a href={`${view.base}/tasks?queue=${name}`}>{q.queue}</a>
        {p.unconsumed && (
          <>
            {' '}
            <span
              class="badge queue-unconsumed"
              title="tasks wait here and no online worker consumes this queue"
            >
              no consumer
            </span>
          </>
        )}
      </td>
      <td class="num">{q.waiting}</td>
      <td class="num">{q.delayed}</td>
      <td class="num">{q.active}</td>
      <td class="num">{q.dead}</td>
      <td>{q.oldestAgeMs === null ? '—' : duration(q.oldestAgeMs)}</td>
      <td>
        {q.waiting + q.delayed > 0 && (
          <a class="button danger" href={`${view.base}/queues/${name}/purge`}>
            Purge…
          </a>
        )}
      </td>
    </tr>
  )
}

function DeadRow(p: { task: TaskResult; view: ViewContext }) {
  const { task: t, view } = p
  const id = encodeURIComponent(t.id)
  return (
    <tr data-task-id={t.id}>
      <td>
        <a href={`${view.base}/tasks/${id}`} class="mono">
          {t.id.slice(0, 13)}
        </a>
      </td>
      <td>{t.task}</td>
      <td>{t.queue}</td>
      <td>{t.deadReason ?? ''}</td>
      <td class="mono input-cell">{t.error ? clip(`${t.error.type}: ${t.error.message}`, 90) : ''}</td>
      <td>{ago(t.finishedAt, view.now)}</td>
      <td>
        <PostButton {...view} action={`/dead/${id}/requeue`} label="Requeue" />
      </td>
    </tr>
  )
}

/** Per-queue counts and the dead letters, each with its operator action. */
export function QueuesView(p: {
  queues: QueueStats[]
  /** Queues with waiting tasks that no online worker consumes. */
  unconsumed: string[]
  dead: TaskResult[]
  view: ViewContext
}) {
  return (
    <>
      <div class="panel">
        <h2>Queues</h2>
        {p.unconsumed.length > 0 && (
          <p class="warning" id="unconsumed-queues">
            Degraded: no online worker consumes {p.unconsumed.map((q) => `'${q}'`).join(', ')}, so its tasks
            wait. Start a worker with <code>-Q {p.unconsumed.join(',')}</code> (or <code>-Q all</code>).
          </p>
        )}
        {p.queues.length === 0 ? (
          <p class="empty">No queues yet.</p>
        ) : (
          <div class="table-wrap">
            <table id="queue-table">
              <thead>
                <tr>
                  <th>Queue</th>
                  <th class="num">Waiting</th>
                  <th class="num">Delayed</th>
                  <th class="num">Active</th>
                  <th class="num">Dead</th>
                  <th>Oldest waiting</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {p.queues.map((q) => (
                  <QueueRow q={q} unconsumed={p.unconsumed.includes(q.queue)} view={p.view} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <div class="panel">
        <h2>Dead letters</h2>
        {p.dead.length === 0 ? (
          <p class="empty">No dead tasks.</p>
        ) : (
          <div class="table-wrap">
            <table id="dead-table">
              <thead>
                <tr>
                  <th>Id</th>
                  <th>Task</th>
                  <th>Queue</th>
                  <th>Reason</th>
                  <th>Error</th>
                  <th>Died</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {p.dead.map((task) => (
                  <DeadRow task={task} view={p.view} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  )
}

/** The confirmation step of a purge: says what will be deleted, and posts only from here. */
export function PurgeConfirmView(p: { q: QueueStats; view: ViewContext }) {
  const count = p.q.waiting + p.q.delayed
  return (
    <div class="panel">
      <p>{`Delete the ${count} waiting and delayed tasks of queue '${p.q.queue}'? Running tasks are not affected. This cannot be undone.`}</p>
      <div class="actions">
        <PostButton
          {...p.view}
          action={`/queues/${encodeURIComponent(p.q.queue)}/purge`}
          fields={{ confirm: p.q.queue }}
          label={`Purge ${p.q.queue}`}
          kind="danger"
        />
        <a href={`${p.view.base}/queues`}>Cancel</a>
      </div>
    </div>
  )
}
