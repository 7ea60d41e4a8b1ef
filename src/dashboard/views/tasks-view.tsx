/** @jsxImportSource hono/jsx */
import type { TaskResult } from '../../core/result.ts'
import { TaskState } from '../../core/states.ts'
import { ago, duration, shortJson } from './format.ts'
import type { ViewContext } from './render.tsx'
import { StateBadge } from './state-badge.tsx'

/** The task list's filters as given in the query string (all optional). */
export interface TaskFilters {
  state?: string | undefined
  name?: string | undefined
  queue?: string | undefined
  q?: string | undefined
  range?: string | undefined
  cursor?: string | undefined
}

export const RANGES: Record<string, [string, number]> = {
  '15m': ['last 15 minutes', 15 * 60_000],
  '1h': ['last hour', 3_600_000],
  '24h': ['last 24 hours', 86_400_000],
  '7d': ['last 7 days', 7 * 86_400_000],
}

function Select(p: { name: string; value: string | undefined; options: [string, string][] }) {
  return (
    <select name={p.name} id={`filter-${p.name}`}>
      {p.options.map(([value, label]) => (
        <option value={value} selected={value === (p.value ?? '')}>
          {label}
        </option>
      ))}
    </select>
  )
}

/** A GET form: filters live in the URL, so a filtered view can be bookmarked and shared. */
export function TaskFilterForm(p: { filters: TaskFilters; base: string; names: string[] }) {
  const f = p.filters
  return (
    <form method="get" action={`${p.base}/tasks`} class="filters" id="task-filters">
      <input type="search" name="q" value={f.q ?? ''} placeholder="Search name and input" id="filter-q" />
      <Select
        name="state"
        value={f.state}
        options={[['', 'any state'], ...TaskState.options.map((s) => [s, s] as [string, string])]}
      />
      <Select
        name="name"
        value={f.name}
        options={[['', 'any task'], ...p.names.map((n) => [n, n] as [string, string])]}
      />
      <input type="text" name="queue" value={f.queue ?? ''} placeholder="queue" id="filter-queue" size={10} />
      <Select
        name="range"
        value={f.range}
        options={[
          ['', 'any time'],
          ...Object.entries(RANGES).map(([k, [label]]) => [k, label] as [string, string]),
        ]}
      />
      <button type="submit" class="primary">
        Filter
      </button>
      <a href={`${p.base}/tasks`}>Clear</a>
    </form>
  )
}

function TaskRow(p: { task: TaskResult; view: ViewContext }) {
  const t = p.task
  return (
    <tr data-task-id={t.id}>
      <td>
        <a href={`${p.view.base}/tasks/${encodeURIComponent(t.id)}`} class="mono">
          {t.id.slice(0, 13)}
        </a>
      </td>
      <td>{t.task}</td>
      <td>
        <StateBadge state={t.state} />
      </td>
      <td>{t.queue}</td>
      <td class="input-cell mono">{shortJson(t.input)}</td>
      <td title={new Date(t.createdAt).toISOString()}>{ago(t.createdAt, p.view.now)}</td>
      <td class="num">{duration(t.runtimeMs)}</td>
    </tr>
  )
}

/**
 * The link to the next page. A truncated page is one whose search stopped at its scan budget:
 * older tasks are still unsearched, so the link says the search goes on rather than "older tasks".
 */
function Pager(p: { nextHref: string; truncated: boolean }) {
  return (
    <p class="pager">
      {p.truncated && <span>Searched part of the history. </span>}
      <a href={p.nextHref} id="next-page">
        {p.truncated ? 'Keep searching older tasks →' : 'Older tasks →'}
      </a>
    </p>
  )
}

/** One page of history, newest first, with a link to the next page. */
export function TasksView(p: {
  tasks: TaskResult[]
  next: string | null
  nextHref: string
  truncated: boolean
  view: ViewContext
}) {
  if (p.tasks.length === 0 && p.next && p.truncated)
    return (
      <>
        <p class="empty">No matches in the newest tasks searched so far.</p>
        <Pager nextHref={p.nextHref} truncated />
      </>
    )
  if (p.tasks.length === 0) return <p class="empty">No tasks match.</p>
  return (
    <>
      <div class="table-wrap">
        <table id="task-table">
          <thead>
            <tr>
              <th>Id</th>
              <th>Task</th>
              <th>State</th>
              <th>Queue</th>
              <th>Input</th>
              <th>Created</th>
              <th class="num">Runtime</th>
            </tr>
          </thead>
          <tbody>
            {p.tasks.map((task) => (
              <TaskRow task={task} view={p.view} />
            ))}
          </tbody>
        </table>
      </div>
      {p.next && <Pager nextHref={p.nextHref} truncated={p.truncated} />}
    </>
  )
}
