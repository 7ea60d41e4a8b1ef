/** @jsxImportSource hono/jsx */
import type { BrokerEvent } from '../../brokers/broker.ts'
import type { TaskResult } from '../../core/result.ts'
import { isTerminal } from '../../core/states.ts'
import { ago, duration, isoTime, prettyJson, shortJson } from './format.ts'
import { PostButton } from './post-button.tsx'
import type { ViewContext } from './render.tsx'
import { StateBadge } from './state-badge.tsx'

const RUNNING = new Set(['RECEIVED', 'STARTED', 'PROGRESS'])

function Actions(p: { task: TaskResult; view: ViewContext }) {
  const { task, view } = p
  const path = `/tasks/${encodeURIComponent(task.id)}`
  const retryable = task.state === 'FAILURE' || task.deadReason !== null
  return (
    <div class="actions" id="task-actions">
      {/* A plain revoke only keeps a waiting task from starting: a running one gets Terminate. */}
      {!isTerminal(task.state) && !RUNNING.has(task.state) && (
        <PostButton {...view} action={`${path}/revoke`} label="Revoke" kind="danger" />
      )}
      {RUNNING.has(task.state) && (
        <PostButton
          {...view}
          action={`${path}/revoke`}
          fields={{ terminate: '1' }}
          label="Terminate"
          kind="danger"
        />
      )}
      {retryable && <PostButton {...view} action={`${path}/retry`} label="Retry" />}
    </div>
  )
}

/** A `{ current, total }` or `{ percent }` progress meta as a bar; anything else as JSON. */
function Progress(p: { meta: unknown }) {
  if (p.meta === null || p.meta === undefined) return null
  const m = p.meta as { current?: unknown; total?: unknown; percent?: unknown }
  const fraction =
    typeof m.percent === 'number'
      ? m.percent / 100
      : typeof m.current === 'number' && typeof m.total === 'number' && m.total > 0
        ? m.current / m.total
        : null
  return (
    <div class="panel">
      <h2>Progress</h2>
      {fraction !== null && (
        <progress max="100" value={String(Math.round(Math.min(1, Math.max(0, fraction)) * 100))} />
      )}
      <pre>{prettyJson(p.meta)}</pre>
    </div>
  )
}

function Summary(p: { task: TaskResult; now: number }) {
  const t = p.task
  const rows: [string, string][] = [
    ['Task', t.task],
    ['Queue', t.queue],
    ['Worker', t.worker ?? '—'],
    ['Attempts', `${t.attempts} (retries ${t.retries})`],
    ['Created', `${isoTime(t.createdAt)} (${ago(t.createdAt, p.now)})`],
    ['ETA', isoTime(t.eta)],
    ['Started', isoTime(t.startedAt)],
    ['Finished', isoTime(t.finishedAt)],
    ['Runtime', duration(t.runtimeMs)],
    ['Result expires', isoTime(t.expiresAt)],
  ]
  if (t.deadReason) rows.push(['Dead letter', t.deadReason])
  return (
    <dl class="summary">
      {rows.map(([k, v]) => (
        <>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </>
      ))}
    </dl>
  )
}

function Timeline(p: { events: BrokerEvent[] }) {
  return (
    <table id="timeline">
      <thead>
        <tr>
          <th>Time</th>
          <th>Event</th>
          <th>Attempt</th>
          <th>Details</th>
        </tr>
      </thead>
      <tbody>
        {p.events.map((e) => {
          const data = (e.data ?? {}) as Record<string, unknown>
          const { attempt, ...rest } = data
          return (
            <tr>
              <td>{isoTime(e.at)}</td>
              <td>{e.type.replace('task:', '')}</td>
              <td class="num">{typeof attempt === 'number' ? attempt : ''}</td>
              <td class="mono">{Object.keys(rest).length ? shortJson(rest, 160) : ''}</td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

/** Everything stored about one task: state, timings, input, outcome, its event timeline. */
export function TaskDetailView(p: { task: TaskResult; events: BrokerEvent[]; view: ViewContext }) {
  const { task } = p
  return (
    <>
      <div class="panel head">
        <p>
          <StateBadge state={task.state} /> <span class="mono">{task.id}</span>
        </p>
        <Actions task={task} view={p.view} />
      </div>
      <div class="panel">
        <Summary task={task} now={p.view.now} />
      </div>
      <Progress meta={task.meta} />
      <div class="panel">
        <h2>Input</h2>
        <pre id="task-input">{prettyJson(task.input)}</pre>
      </div>
      {task.state === 'SUCCESS' && (
        <div class="panel">
          <h2>Result</h2>
          <pre id="task-result">{prettyJson(task.result)}</pre>
        </div>
      )}
      {task.error && (
        <div class="panel">
          <h2>Error</h2>
          <p class="error-text">{`${task.error.type}: ${task.error.message}`}</p>
          {task.error.stack && <pre class="stack">{task.error.stack}</pre>}
        </div>
      )}
      <div class="panel">
        <h2>Timeline</h2>
        <Timeline events={p.events} />
      </div>
    </>
  )
}
