import { z } from 'zod'

/** The tree as documented (it is checked by WorkflowSpec in core/workflow.ts, with its limits). */
export const WorkflowBody = z.record(z.string(), z.unknown()).meta({
  id: 'WorkflowBody',
  description:
    '{task, input?, options?, resultKey?, link?, linkError?} | {chain: [...]} | {group: [...]} | {chord: [...], callback: {...}}',
  example: {
    chain: [
      { task: 'debug.sleep', input: { ms: 10 } },
      {
        group: [
          { task: 'debug.noop', input: {} },
          { task: 'debug.noop', input: {} },
        ],
      },
    ],
  },
})

export const WorkflowStarted = z
  .object({ workflow_id: z.string(), status_url: z.string() })
  .meta({ id: 'WorkflowStarted' })

export const WorkflowViewBody = z
  .object({
    id: z.string(),
    state: z.enum(['PENDING', 'STARTED', 'SUCCESS', 'FAILURE']),
    result: z.unknown(),
    createdAt: z.number().int(),
    tree: z.unknown().meta({ description: 'the tree, each task with its id, state, result or error' }),
  })
  .meta({ id: 'WorkflowView' })
