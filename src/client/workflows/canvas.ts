import type { TaskCallSpec, WorkflowSpec } from '../../core/workflow.ts'

/** One task call of a workflow (Celery's signature): `sig('shop.total', {items})`, or by definition. */
export function sig(
  task: string | { readonly name: string },
  input?: unknown,
  extra: Omit<TaskCallSpec, 'task' | 'input'> = {},
): TaskCallSpec {
  return {
    task: typeof task === 'string' ? task : task.name,
    ...(input !== undefined && { input }),
    ...extra,
  }
}

/** Each result handed to the next step; a failure stops the chain there. */
export const chain = (...steps: WorkflowSpec[]): WorkflowSpec => ({ chain: steps })

/** Every member at once; the results, in order, go to whatever follows. */
export const group = (...members: WorkflowSpec[]): WorkflowSpec => ({ group: members })

/** A group whose results, in order, are `callback`'s input once every member has finished. */
export const chord = (members: WorkflowSpec[], callback: WorkflowSpec): WorkflowSpec => ({
  chord: members,
  callback,
})
