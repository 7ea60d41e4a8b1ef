/** @jsxImportSource hono/jsx */
import type { TaskState } from '../../core/states.ts'

/** A task state as a coloured label (the colour is a class; the text carries the meaning). */
export function StateBadge(p: { state: TaskState | string }) {
  return <span class={`badge state-${p.state.toLowerCase()}`}>{p.state}</span>
}
