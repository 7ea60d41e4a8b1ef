import type { WorkflowRunner } from '../client/workflows/workflow-runner.ts'
import { toErrorInfo, ValidationError } from '../core/errors.ts'
import type { TaskMessage } from '../core/message.ts'
import type { ExecutionOutcome } from './execute-task.ts'

/** What moves a workflow on after one of its members ran. */
export type WorkflowFollower = Pick<WorkflowRunner, 'advance' | 'failed'>

/**
 * Moves a member's workflow on (its successors after a success, its link_error callbacks after a
 * failure) and answers the outcome to record. A next step that refuses its input would refuse it
 * on every re-run, so the member fails naming why; any other error (the broker is down) is thrown
 * for the caller to decide.
 */
export async function followWorkflow(
  workflows: WorkflowFollower,
  message: TaskMessage,
  outcome: ExecutionOutcome,
): Promise<ExecutionOutcome> {
  try {
    if (outcome.kind === 'ack') await workflows.advance(message, outcome.result)
    if (outcome.kind === 'fail') await workflows.failed(message, outcome.error)
    return outcome
  } catch (err) {
    if (outcome.kind !== 'ack' || !(err instanceof ValidationError)) throw err
    return { kind: 'fail', error: toErrorInfo(err), reason: 'unrecoverable', runtimeMs: outcome.runtimeMs }
  }
}
