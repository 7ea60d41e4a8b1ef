/** @jsxImportSource hono/jsx */
import type { ScheduleView } from '../../beat/schedule-service.ts'
import { ago, isoTime, shortJson } from './format.ts'
import { PostButton } from './post-button.tsx'
import type { ViewContext } from './render.tsx'

export function timing(s: ScheduleView): string {
  const e = s.entry
  if (e.cron !== undefined) return `cron ${e.cron} (${e.timezone})`
  if (e.every !== undefined) return `every ${typeof e.every === 'number' ? `${e.every} ms` : e.every}`
  return `once at ${e.at ?? '?'}`
}

function Row(p: { s: ScheduleView; view: ViewContext }) {
  const { s, view } = p
  const path = `/schedules/${encodeURIComponent(s.entry.name)}`
  const next = s.entry.enabled ? (s.nextFireTimes[0] ?? null) : null
  return (
    <tr data-schedule={s.entry.name} class={s.entry.enabled ? '' : 'offline'}>
      <td>
        <strong>{s.entry.name}</strong>
        <div class="sub">{s.source === 'config' ? 'from config' : 'stored'}</div>
      </td>
      <td>
        {s.entry.task}
        <div class="sub mono">{shortJson(s.entry.input, 60)}</div>
      </td>
      <td class="mono">{timing(s)}</td>
      <td>
        {next === null ? (s.entry.enabled ? '—' : 'disabled') : `${isoTime(next)} (${ago(next, view.now)})`}
      </td>
      <td>
        {s.state.lastRunAt === null ? 'never' : ago(s.state.lastRunAt, view.now)}
        <div class="sub">{s.state.lastOutcome ?? ''}</div>
      </td>
      <td>
        <div class="actions">
          <a class="button" href={`${view.base}${path}/edit`}>
            Edit
          </a>
          <PostButton
            {...view}
            action={`${path}/enabled`}
            fields={{ enabled: s.entry.enabled ? 'false' : 'true' }}
            label={s.entry.enabled ? 'Disable' : 'Enable'}
            kind="link"
          />
          <PostButton {...view} action={`${path}/run`} label="Run now" kind="link" />
          <PostButton {...view} action={`${path}/delete`} label="Delete" kind="danger" />
        </div>
      </td>
    </tr>
  )
}

/** Beat's entries with their next fire and last outcome, each editable in place. */
export function SchedulesView(p: { schedules: ScheduleView[]; view: ViewContext }) {
  return (
    <>
      <p>
        <a class="button primary" href={`${p.view.base}/schedules/new`} id="new-schedule">
          Add schedule
        </a>
      </p>
      {p.schedules.length === 0 ? (
        <p class="empty">No schedules.</p>
      ) : (
        <div class="table-wrap">
          <table id="schedule-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Task / input</th>
                <th>When</th>
                <th>Next fire</th>
                <th>Last run</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {p.schedules.map((s) => (
                <Row s={s} view={p.view} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
