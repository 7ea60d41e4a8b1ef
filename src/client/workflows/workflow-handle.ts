import type { Broker } from '../../brokers/broker.ts'
import { CeleriacError } from '../../core/errors.ts'
import type { TaskResult } from '../../core/result.ts'
import type { PlannedNode, PlannedTask } from '../../core/workflow.ts'
import type { ResultSource } from '../task-handle.ts'
import { tasksOf } from './plan-workflow.ts'
import type { StoredWorkflow } from './stored-workflow.ts'

export type WorkflowState = 'PENDING' | 'STARTED' | 'SUCCESS' | 'FAILURE'

/** A workflow's tree with each task's state, as the API and CLI show it. */
export type WorkflowView = {
  id: string
  state: WorkflowState
  result: unknown
  createdAt: number
  tree: NodeView
}

export type NodeView =
  | {
      kind: 'task'
      id: string
      task: string
      state: string
      result?: unknown
      error?: unknown
      link?: NodeView[]
      linkError?: NodeView[]
    }
  | { kind: 'chain'; steps: NodeView[] }
  | { kind: 'group'; id: string; members: NodeView[] }
  | { kind: 'chord'; id: string; members: NodeView[]; callback: NodeView }

/** A handle to a workflow by id: its members' states, its result, revoke and retry. */
export class WorkflowHandle {
  /** `results` reads a member's result: the broker's by default, an eager app's from its memory. */
  constructor(
    readonly id: string,
    private readonly broker: Broker,
    private readonly results: ResultSource = (taskId) => broker.getResult(taskId),
  ) {}

  private async stored(): Promise<StoredWorkflow> {
    const found = (await this.broker.getWorkflow(this.id)) as StoredWorkflow | null
    if (!found) throw new CeleriacError('NOT_FOUND', `workflow '${this.id}' is unknown or has expired`)
    return found
  }

  /** The tree with every member's state; the workflow fails with its first failed member. */
  async view(): Promise<WorkflowView> {
    const { tree, createdAt } = await this.stored()
    const results = new Map<string, TaskResult | null>()
    await Promise.all(tasksOf(tree).map(async (t) => results.set(t.id, await this.results(t.id))))
    const stateOf = (t: PlannedTask) => results.get(t.id)?.state ?? 'PENDING'
    const main = mainTasks(tree)
    const states = main.map(stateOf)
    const state: WorkflowState = states.some((s) => s === 'FAILURE' || s === 'REVOKED')
      ? 'FAILURE'
      : states.every((s) => s === 'SUCCESS')
        ? 'SUCCESS'
        : states.some((s) => s !== 'PENDING')
          ? 'STARTED'
          : 'PENDING'
    const show = (node: PlannedNode): NodeView => {
      switch (node.kind) {
        case 'task': {
          const r = results.get(node.id)
          return {
            kind: 'task',
            id: node.id,
            task: node.task,
            state: stateOf(node),
            ...(r?.state === 'SUCCESS' && { result: r.result }),
            ...(r?.error && { error: { type: r.error.type, message: r.error.message } }),
            ...(node.link && { link: node.link.map(show) }),
            ...(node.linkError && { linkError: node.linkError.map(show) }),
          }
        }
        case 'chain':
          return { kind: 'chain', steps: node.steps.map(show) }
        case 'group':
          return { kind: 'group', id: node.id, members: node.members.map(show) }
        case 'chord':
          return {
            kind: 'chord',
            id: node.id,
            members: node.members.map(show),
            callback: show(node.callback),
          }
      }
    }
    const resultOf = (node: PlannedNode): unknown => {
      switch (node.kind) {
        case 'task':
          return results.get(node.id)?.result ?? null
        case 'chain':
          return resultOf(node.steps.at(-1) as PlannedNode)
        case 'group':
          return node.members.map(resultOf)
        case 'chord':
          return resultOf(node.callback)
      }
    }
    return {
      id: this.id,
      state,
      result: state === 'SUCCESS' ? resultOf(tree) : null,
      createdAt,
      tree: show(tree),
    }
  }

  /**
   * Waits for SUCCESS or FAILURE and returns the view. Between full views (every `fullEvery` ms,
   * 1 ms per task and at least a second by default, to see a failure upstream) it reads only the
   * tasks that end the workflow, so waiting on a chord of 10,000 members does not read 10,000
   * results per poll.
   */
  async wait(
    options: { timeout?: number; interval?: number; fullEvery?: number } = {},
  ): Promise<WorkflowView> {
    const deadline = Date.now() + (options.timeout ?? 30_000)
    const { tree } = await this.stored()
    const ends = sinks(tree).map((t) => t.id)
    const fullEvery = options.fullEvery ?? Math.max(1_000, tasksOf(tree).length)
    let fullAt = 0
    for (;;) {
      const states = await Promise.all(ends.map(async (id) => (await this.results(id))?.state))
      const ended = states.every((s) => s === 'SUCCESS' || s === 'FAILURE' || s === 'REVOKED')
      if (ended || Date.now() >= fullAt) {
        const view = await this.view()
        if (view.state === 'SUCCESS' || view.state === 'FAILURE') return view
        fullAt = Date.now() + fullEvery
      }
      if (Date.now() > deadline)
        throw new CeleriacError('CONFLICT', `workflow ${this.id} still running after the timeout`)
      await Bun.sleep(options.interval ?? 50)
    }
  }

  /** Revokes every member, those not yet enqueued too: none of them will start. */
  async revoke(options: { terminate?: boolean } = {}): Promise<number> {
    const { tree } = await this.stored()
    const ids = tasksOf(tree).map((t) => t.id)
    for (const id of ids) await this.broker.revoke(id, options)
    return ids.length
  }

  /** Puts each failed member back on its queue: a failed chain resumes from there. Returns their ids. */
  async retry(requeue: (id: string) => Promise<boolean>): Promise<string[]> {
    const { tree } = await this.stored()
    const failed: string[] = []
    for (const t of tasksOf(tree)) {
      if ((await this.results(t.id))?.state === 'FAILURE' && (await requeue(t.id))) failed.push(t.id)
    }
    return failed
  }
}

/** The tasks that finish last: a chain's last step's, a group's members', a chord's callback's. */
function sinks(node: PlannedNode): PlannedTask[] {
  switch (node.kind) {
    case 'task':
      return [node]
    case 'chain':
      return sinks(node.steps.at(-1) as PlannedNode)
    case 'group':
      return node.members.flatMap(sinks)
    case 'chord':
      return sinks(node.callback)
  }
}

/** The tasks whose success makes the workflow's: every task but the link_error callbacks. */
function mainTasks(node: PlannedNode): PlannedTask[] {
  switch (node.kind) {
    case 'task':
      return [node, ...(node.link ?? []).flatMap(mainTasks)]
    case 'chain':
      return node.steps.flatMap(mainTasks)
    case 'group':
      return node.members.flatMap(mainTasks)
    case 'chord':
      return [...node.members.flatMap(mainTasks), ...mainTasks(node.callback)]
  }
}
