import { z } from 'zod'
import { YEAR_MS } from './enqueue-options.ts'
import { Priority, QueueName, TaskName } from './message.ts'
import type { WorkflowCallOptions } from './workflow-plan.ts'

export type {
  PlannedNode,
  PlannedTask,
  WorkflowContinuation,
  WorkflowJoin,
  WorkflowNext,
} from './workflow-plan.ts'

/**
 * Workflows (Celery's canvas) as a caller writes them, in the library, the API and the CLI:
 * `{task}` one call, `{chain: [...]}` each result handed to the next, `{group: [...]}` in
 * parallel with results gathered in order, `{chord: [...], callback}` a group whose results go to
 * `callback`. A call without `input` takes the previous result as its input; with `resultKey`, its
 * input gets the previous result under that key; with `input` and no key, it ignores it.
 */
export type WorkflowSpec =
  | TaskCallSpec
  | { chain: WorkflowSpec[] }
  | { group: WorkflowSpec[] }
  | { chord: WorkflowSpec[]; callback: WorkflowSpec }

export interface TaskCallSpec {
  task: string
  input?: unknown
  options?: WorkflowCallOptions
  resultKey?: string
  /** Called with this task's result when it succeeds (Celery's link). */
  link?: TaskCallSpec[]
  /** Called with `{task_id, error}` when it fails for good (Celery's link_error). */
  linkError?: TaskCallSpec[]
}

/** Per-call options a workflow member may set (ids are the workflow's to give). */
const CallOptions: z.ZodType<WorkflowCallOptions> = z
  .object({
    countdown: z.number().int().min(0).max(YEAR_MS).optional(),
    priority: Priority.optional(),
    queue: QueueName.optional(),
    expires: z.number().int().positive().optional(),
  })
  .strict()

/** Bounds on the work one workflow can cause: members, nesting, callbacks. */
export const WORKFLOW_LIMITS = { tasks: 20_000, depth: 16, callbacks: 10 } as const

const TaskCall: z.ZodType<TaskCallSpec> = z.lazy(() =>
  z
    .object({
      task: TaskName,
      input: z.unknown().optional(),
      options: CallOptions.optional(),
      resultKey: z.string().min(1).max(100).optional(),
      link: z.array(TaskCall).max(WORKFLOW_LIMITS.callbacks).optional(),
      linkError: z.array(TaskCall).max(WORKFLOW_LIMITS.callbacks).optional(),
    })
    .strict(),
)

const Members = z.lazy(() => z.array(Workflow).max(WORKFLOW_LIMITS.tasks))

const Chain = z.object({ chain: Members.refine((m) => m.length > 0, 'a chain needs a member') }).strict()
const Group = z.object({ group: Members.refine((m) => m.length > 0, 'a group needs a member') }).strict()
const Chord = z.lazy(() =>
  z
    .object({ chord: Members.refine((m) => m.length > 0, 'a chord needs a member'), callback: Workflow })
    .strict(),
)

/** The node's kind from its key, so an error names the field of that kind, not "no union member". */
function kindOf(node: unknown): z.ZodType | null {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return null
  if ('task' in node) return TaskCall
  if ('chain' in node) return Chain
  if ('group' in node) return Group
  if ('chord' in node) return Chord
  return null
}

const Workflow: z.ZodType<WorkflowSpec> = z.lazy(() =>
  z.unknown().transform((node, ctx) => {
    const kind = kindOf(node)
    if (!kind) {
      ctx.addIssue({ code: 'custom', message: 'expected an object with one of task, chain, group or chord' })
      return z.NEVER
    }
    const parsed = kind.safeParse(node)
    if (parsed.success) return parsed.data as WorkflowSpec
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as (string | number)[] })
    return z.NEVER
  }),
)

/** A workflow as accepted at every edge: the tree, its total size and its depth checked. */
export const WorkflowSpec = Workflow.superRefine((spec, ctx) => {
  let tasks = 0
  let deepest = 0
  const walk = (node: WorkflowSpec, depth: number) => {
    deepest = Math.max(deepest, depth)
    if (depth > WORKFLOW_LIMITS.depth) return
    if ('task' in node) tasks += 1 + (node.link?.length ?? 0) + (node.linkError?.length ?? 0)
    else if ('chain' in node) for (const m of node.chain) walk(m, depth + 1)
    else if ('group' in node) for (const m of node.group) walk(m, depth + 1)
    else {
      for (const m of node.chord) walk(m, depth + 1)
      walk(node.callback, depth + 1)
    }
  }
  walk(spec, 1)
  if (deepest > WORKFLOW_LIMITS.depth)
    ctx.addIssue({ code: 'custom', message: `nested deeper than ${WORKFLOW_LIMITS.depth} levels` })
  if (tasks > WORKFLOW_LIMITS.tasks)
    ctx.addIssue({ code: 'custom', message: `${tasks} tasks: at most ${WORKFLOW_LIMITS.tasks} per workflow` })
})
