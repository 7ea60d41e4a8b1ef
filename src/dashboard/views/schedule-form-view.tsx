/** @jsxImportSource hono/jsx */
import type { FieldIssue } from '../../core/errors.ts'
import { CsrfField } from './post-button.tsx'
import type { ViewContext } from './render.tsx'

/** The form's fields as strings, as typed (re-shown after an error). */
export interface ScheduleFormValues {
  name: string
  task: string
  cron: string
  every: string
  timezone: string
  queue: string
  input: string
  enabled: boolean
}

export interface ScheduleFormProps {
  values: ScheduleFormValues
  /** null: a new entry. */
  editing: string | null
  tasks: string[]
  issues: FieldIssue[]
  view: ViewContext
}

function Field(p: {
  label: string
  name: keyof ScheduleFormValues
  value: string
  hint?: string
  readonly?: boolean
}) {
  return (
    <label>
      <span>{p.label}</span>
      <input type="text" name={p.name} id={`field-${p.name}`} value={p.value} readonly={p.readonly} />
      {p.hint && <small>{p.hint}</small>}
    </label>
  )
}

/** Create or edit one entry: cron or every, the task and its JSON input. */
export function ScheduleFormView(p: ScheduleFormProps) {
  const v = p.values
  const action = p.editing === null ? '/schedules' : `/schedules/${encodeURIComponent(p.editing)}`
  return (
    <form method="post" action={`${p.view.base}${action}`} class="panel form" id="schedule-form">
      <CsrfField csrf={p.view.csrf} />
      {p.issues.length > 0 && (
        <ul class="error-text" id="form-errors">
          {p.issues.map((i) => (
            <li>{`${i.path || 'entry'}: ${i.message}`}</li>
          ))}
        </ul>
      )}
      <Field label="Name" name="name" value={v.name} readonly={p.editing !== null} />
      <label>
        <span>Task</span>
        <select name="task" id="field-task">
          {p.tasks.map((t) => (
            <option value={t} selected={t === v.task}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <Field label="Cron" name="cron" value={v.cron} hint="e.g. */5 * * * * (fill in cron or every)" />
      <Field label="Every" name="every" value={v.every} hint="e.g. 30s, 5m, 1h, 1d" />
      <Field label="Time zone" name="timezone" value={v.timezone} />
      <Field label="Queue" name="queue" value={v.queue} hint="empty: the task's own queue" />
      <label>
        <span>Input (JSON)</span>
        <textarea name="input" id="field-input" rows={6}>
          {v.input}
        </textarea>
      </label>
      <label class="check">
        <input type="checkbox" name="enabled" value="true" checked={v.enabled} /> Enabled
      </label>
      <div class="actions">
        <button type="submit" class="primary">
          Save
        </button>
        <a href={`${p.view.base}/schedules`}>Cancel</a>
      </div>
    </form>
  )
}
