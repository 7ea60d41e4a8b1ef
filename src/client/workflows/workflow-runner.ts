import type { Broker } from '../../brokers/broker.ts'
import { newTaskId } from '../../core/ids.ts'
import type { Json } from '../../core/json.ts'
import type { TaskMessage } from '../../core/message.ts'
import type { TaskErrorInfo } from '../../core/result.ts'
import { parseOrThrow } from '../../core/validate.ts'
import { type WorkflowNext, WorkflowSpec } from '../../core/workflow.ts'
import type { Client } from '../client.ts'
import { prepareMessages } from '../prepare-messages.ts'
import { planWorkflow, tasksOf } from './plan-workflow.ts'
import { type Incoming, type MemberStart, startNode } from './start-node.ts'
import { type StoredWorkflow, WORKFLOW_TTL_MS } from './stored-workflow.ts'
import { WorkflowHandle } from './workflow-handle.ts'

/**
 * Starts workflows and moves them on. A member's message carries what follows it; when the member
 * succeeds, the worker calls `advance` BEFORE it acknowledges it, so a crash in between re-runs
 * the member and enqueues its successors again, which the pre-assigned ids store once. A group's
 * completion is the broker's atomic join, never a poll.
 */
export class WorkflowRunner {
  constructor(
    private readonly client: Client,
    private readonly broker: Broker,
  ) {}

  /** Validates the tree (every task registered), stores it and enqueues its first members. */
  async start(spec: unknown): Promise<WorkflowHandle> {
    const parsed = parseOrThrow(WorkflowSpec, spec, 'workflow')
    const tree = planWorkflow(parsed)
    for (const task of tasksOf(tree)) this.client.registry.require(task.task)
    const id = newTaskId()
    const stored: StoredWorkflow = { tree, createdAt: this.client.clock.now() }
    await this.broker.putWorkflow(id, stored as unknown as Json, WORKFLOW_TTL_MS)
    await this.enqueue(startNode(id, tree, { next: [], join: null }, null))
    return this.handle(id)
  }

  handle(id: string): WorkflowHandle {
    return new WorkflowHandle(id, this.broker, this.client.results)
  }

  /** After a member succeeded: its link callbacks, then the next step or its group's join. */
  async advance(message: TaskMessage, result: Json | null): Promise<void> {
    const cont = message.workflow
    if (!cont) return
    const incoming = { value: result }
    const starts = (cont.link ?? []).flatMap((l) => startNode(cont.id, l, { next: [], join: null }, incoming))
    starts.push(...(await this.continueWith(cont.id, cont, incoming)))
    await this.enqueue(starts)
  }

  /** After a member failed for good: its link_error callbacks; the rest of its chain never starts. */
  async failed(message: TaskMessage, error: TaskErrorInfo): Promise<void> {
    const cont = message.workflow
    if (!cont?.linkError) return
    const incoming = { value: { task_id: message.id, error: { type: error.type, message: error.message } } }
    await this.enqueue(
      cont.linkError.flatMap((l) => startNode(cont.id, l, { next: [], join: null }, incoming)),
    )
  }

  private async continueWith(
    workflow: string,
    after: WorkflowNext,
    incoming: Incoming,
  ): Promise<MemberStart[]> {
    const [first, ...rest] = after.next
    if (first) return startNode(workflow, first, { next: rest, join: after.join }, incoming)
    const join = after.join
    if (!join) return []
    const results = await this.broker.joinGroup(
      join.group,
      join.index,
      join.size,
      incoming?.value ?? null,
      WORKFLOW_TTL_MS,
    )
    return results === null ? [] : this.continueWith(workflow, join.after, { value: results })
  }

  private async enqueue(starts: MemberStart[]): Promise<void> {
    if (starts.length === 0) return
    const requests = starts.map((s) => ({
      task: s.task.task,
      input: s.input,
      options: { ...s.task.options, id: s.task.id },
    }))
    const messages = prepareMessages(this.client.registry, requests, this.client.clock)
    for (const [i, m] of messages.entries()) m.workflow = starts[i]?.workflow
    await this.client.send(messages)
  }
}
