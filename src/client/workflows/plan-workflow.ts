import { newTaskId } from '../../core/ids.ts'
import type { PlannedNode, PlannedTask, TaskCallSpec, WorkflowSpec } from '../../core/workflow.ts'

/**
 * Gives every task of a workflow its task id and every group its join id, up front: the tree can
 * then be shown (and revoked) before most members exist, and enqueueing a member twice (a
 * redelivered predecessor) stores it once, because the id is already taken.
 */
export function planWorkflow(spec: WorkflowSpec): PlannedNode {
  if ('task' in spec) return planTask(spec)
  if ('chain' in spec) return { kind: 'chain', steps: spec.chain.map(planWorkflow) }
  if ('group' in spec) return { kind: 'group', id: newTaskId(), members: spec.group.map(planWorkflow) }
  return {
    kind: 'chord',
    id: newTaskId(),
    members: spec.chord.map(planWorkflow),
    callback: planWorkflow(spec.callback),
  }
}

function planTask(call: TaskCallSpec): PlannedTask {
  return {
    kind: 'task',
    id: newTaskId(),
    task: call.task,
    ...(call.input !== undefined && { input: call.input }),
    ...(call.options && { options: call.options }),
    ...(call.resultKey && { resultKey: call.resultKey }),
    ...(call.link && { link: call.link.map(planTask) }),
    ...(call.linkError && { linkError: call.linkError.map(planTask) }),
  }
}

/** Every task of a tree, callbacks included, in tree order. */
export function tasksOf(node: PlannedNode): PlannedTask[] {
  switch (node.kind) {
    case 'task':
      return [node, ...(node.link ?? []).flatMap(tasksOf), ...(node.linkError ?? []).flatMap(tasksOf)]
    case 'chain':
      return node.steps.flatMap(tasksOf)
    case 'group':
      return node.members.flatMap(tasksOf)
    case 'chord':
      return [...node.members.flatMap(tasksOf), ...tasksOf(node.callback)]
  }
}
