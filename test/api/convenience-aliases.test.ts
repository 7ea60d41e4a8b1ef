import { describe, expect, test } from 'bun:test'
import { loadConfig } from '../../src/config/load-config.ts'
import { createEmailBulkTask } from '../../src/tasks/email/email-bulk-task.ts'
import { createEmailSendTask } from '../../src/tasks/email/email-send-task.ts'
import { createExportTask } from '../../src/tasks/export/export-task.ts'
import { createTaskServices } from '../../src/tasks/task-services.ts'
import { makeApi } from './api-harness.ts'

/** Export sources as a Django project would configure them: its `user` table in one database. */
const SOURCES = JSON.stringify({
  app: { url: 'sqlite:///tmp/app.db', tables: { user: ['id', 'email', 'first_name'], order: ['id'] } },
  archive: { url: 'sqlite:///tmp/archive.db', tables: { order: ['id'] } },
})

function apiWithRealTasks() {
  const env = { CELERIAC_EXPORT_SOURCES: SOURCES }
  const services = createTaskServices({ config: loadConfig({ env, flags: {} }) })
  const only = [createEmailSendTask(services), createEmailBulkTask(services), createExportTask(services)]
  return makeApi({ env, only })
}

async function inputOf(api: ReturnType<typeof makeApi>, res: Response) {
  expect(res.status).toBe(202)
  const { task_id } = (await res.json()) as { task_id: string }
  return (await api.broker.getResult(task_id))?.input
}

/** The field names the Django setups Celeriac replaces send to their convenience routes. */
describe('convenience routes accept those setups’ field names', () => {
  test('email: recipient_email and template_name; bulk: recipient_emails', async () => {
    const api = apiWithRealTasks()
    const one = await api.post('/api/v1/tasks/email/send/', {
      recipient_email: 'user@example.com',
      subject: 'Welcome',
      template_name: 'welcome_user',
      context: { name: 'Ada' },
    })
    expect(await inputOf(api, one)).toMatchObject({ to: 'user@example.com', template: 'welcome_user' })
    const bulk = await api.post('/api/v1/tasks/email/bulk/', {
      recipient_emails: ['a@example.com', 'b@example.com'],
      template_name: 'notification',
      context: { message: 'hi' },
    })
    expect(await inputOf(api, bulk)).toMatchObject({ recipients: ['a@example.com', 'b@example.com'] })
  })

  test('export: model_name is the table, in the one configured source that has it', async () => {
    const api = apiWithRealTasks()
    const res = await api.post('/api/v1/tasks/export/', {
      model_name: 'user',
      filters: { first_name: 'Ada' },
      fields: ['id', 'email', 'first_name'],
    })
    expect(await inputOf(api, res)).toMatchObject({ source: 'app', table: 'user' })
  })

  test('clear 400s naming the field: both spellings, an unknown model, an ambiguous one', async () => {
    const api = apiWithRealTasks()
    const both = await api.post('/api/v1/tasks/email/send', {
      recipient_email: 'a@example.com',
      to: 'b@example.com',
      template_name: 'notification',
    })
    expect(both.status).toBe(400)
    expect(JSON.stringify(await both.json())).toContain('recipient_email')
    const unknown = await api.post('/api/v1/tasks/export', { model_name: 'content', fields: ['id'] })
    expect(unknown.status).toBe(400)
    expect(JSON.stringify(await unknown.json())).toContain(
      "no configured export source has a table 'content'",
    )
    const ambiguous = await api.post('/api/v1/tasks/export', { model_name: 'order', fields: ['id'] })
    expect(ambiguous.status).toBe(400)
    expect(JSON.stringify(await ambiguous.json())).toContain('app, archive')
    const chosen = await api.post('/api/v1/tasks/export', {
      model_name: 'order',
      source: 'archive',
      fields: ['id'],
    })
    expect(await inputOf(api, chosen)).toMatchObject({ source: 'archive', table: 'order' })
  })

  test('the generic route keeps our names only: an alias there is refused by the task schema', async () => {
    const api = apiWithRealTasks()
    const res = await api.post('/api/v1/tasks/email.send', {
      recipient_email: 'a@example.com',
      template: 'notification',
    })
    expect(res.status).toBe(400)
  })
})
