/** The options a workflow member may carry: a subset of an enqueue's (ids are the workflow's). */
export interface WorkflowCallOptions {
  countdown?: number
  priority?: number
  queue?: string
  expires?: number
}

/** A workflow with an id on every task (its task id) and every group (its join). */
export type PlannedNode =
  | PlannedTask
  | { kind: 'chain'; steps: PlannedNode[] }
  | { kind: 'group'; id: string; members: PlannedNode[] }
  | { kind: 'chord'; id: string; members: PlannedNode[]; callback: PlannedNode }

export interface PlannedTask {
  kind: 'task'
  id: string
  task: string
  input?: unknown
  options?: WorkflowCallOptions
  resultKey?: string
  link?: PlannedTask[]
  linkError?: PlannedTask[]
}

/** Where a finished member reports: its group's join, and what runs once the group is complete. */
export interface WorkflowJoin {
  group: string
  index: number
  size: number
  after: WorkflowNext
}

/** What follows a task: the rest of its chain, then its group's join (if it is a group's member). */
export interface WorkflowNext {
  next: PlannedNode[]
  join: WorkflowJoin | null
}

/** What a workflow member's message carries: its workflow, what follows it, and its callbacks. */
export interface WorkflowContinuation extends WorkflowNext {
  id: string
  link?: PlannedTask[]
  linkError?: PlannedTask[]
}
