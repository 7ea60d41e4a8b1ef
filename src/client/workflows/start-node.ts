import type { Json } from '../../core/json.ts'
import type { PlannedNode, PlannedTask, WorkflowContinuation, WorkflowNext } from '../../core/workflow.ts'

/** A member ready to be enqueued: its call, with the continuation its message carries. */
export interface MemberStart {
  task: PlannedTask
  input: unknown
  workflow: WorkflowContinuation
}

/** The value a finished step hands on; absent at the start of a workflow. */
export type Incoming = { value: Json | null } | null

/** A call's input: its own, the incoming value, or its own with the incoming value under `resultKey`. */
function inputOf(task: PlannedTask, incoming: Incoming): unknown {
  if (task.input === undefined) return incoming ? incoming.value : {}
  if (task.resultKey && incoming) return { ...(task.input as object), [task.resultKey]: incoming.value }
  return task.input
}

/**
 * The members to enqueue to start `node`, followed by `after`: a chain starts its first step
 * with the rest ahead of it, a group (or a chord's header) starts every member, each reporting to
 * the group's join, whose completion continues with `after` (after the chord's `callback`).
 */
export function startNode(
  workflow: string,
  node: PlannedNode,
  after: WorkflowNext,
  incoming: Incoming,
): MemberStart[] {
  switch (node.kind) {
    case 'task': {
      const cont: WorkflowContinuation = { id: workflow, ...after }
      if (node.link) cont.link = node.link
      if (node.linkError) cont.linkError = node.linkError
      return [{ task: node, input: inputOf(node, incoming), workflow: cont }]
    }
    case 'chain': {
      const [first, ...rest] = node.steps
      if (!first) return []
      return startNode(workflow, first, { next: [...rest, ...after.next], join: after.join }, incoming)
    }
    case 'group':
    case 'chord': {
      const followed =
        node.kind === 'chord' ? { next: [node.callback, ...after.next], join: after.join } : after
      const size = node.members.length
      return node.members.flatMap((member, index) =>
        startNode(
          workflow,
          member,
          { next: [], join: { group: node.id, index, size, after: followed } },
          incoming,
        ),
      )
    }
  }
}
