import { describe, expect, test } from 'bun:test'
import { Client } from '../../src/client/client.ts'
import { WorkflowRunner } from '../../src/client/workflows/workflow-runner.ts'
import { createBuiltinRegistry } from '../../src/tasks/index.ts'
import { startWorker } from '../worker/helpers.ts'
import { makeDashboard, TOKENS } from './dashboard-harness.ts'

describe('the workflow page', () => {
  test('shows the tree with every member, its state and a link to its task; an unknown id is a 404 page', async () => {
    const d = makeDashboard()
    await d.login(TOKENS.admin)
    const runner = new WorkflowRunner(
      new Client({ broker: d.broker, registry: createBuiltinRegistry() }),
      d.broker,
    )
    const flow = await runner.start({
      chord: [
        { task: 'debug.sleep', input: { ms: 1 } },
        { task: 'debug.noop', input: {} },
      ],
      callback: { task: 'debug.noop', input: {} },
    })
    startWorker(d.broker)
    await flow.wait({ timeout: 10_000 })
    const page = await d.request(`/workflows/${flow.id}`)
    expect(page.status, (await page.clone().text()).slice(0, 3000)).toBe(200)
    const html = await page.text()
    expect(html).toContain('chord')
    expect(html).toContain('callback')
    expect(html.match(/state-success/g)?.length).toBeGreaterThanOrEqual(4)
    const { tree } = await flow.view()
    const first = (tree as { members: { id: string }[] }).members[0]?.id as string
    expect(html).toContain(`/tasks/${first}`)
    expect((await d.request('/workflows/no-such-workflow')).status).toBe(404)
  })
})
