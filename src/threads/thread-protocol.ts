/**
 * Messages between a ThreadPool and its Bun Worker threads. Plain data only (structured clone):
 * errors cross as name + message + whether retrying could help.
 */
export interface ThreadRequest {
  id: number
  job: unknown
}

export interface ThreadErrorData {
  name: string
  message: string
  /** True when the task must not be retried (bad input, corrupt file). */
  unrecoverable: boolean
}

export type ThreadReply =
  | { id: number; ok: true; value: unknown; heapBytes: number }
  | { id: number; ok: false; error: ThreadErrorData; heapBytes: number }
