import type { PlannedNode } from '../../core/workflow.ts'

/** How long a workflow's tree and its groups' results are kept: past any member's own result expiry. */
export const WORKFLOW_TTL_MS = 7 * 24 * 3_600_000

/** What the broker keeps for a workflow: its planned tree. */
export interface StoredWorkflow {
  tree: PlannedNode
  createdAt: number
}
