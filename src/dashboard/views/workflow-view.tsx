/** @jsxImportSource hono/jsx */
import type { NodeView, WorkflowView } from '../../client/workflows/workflow-handle.ts'
import type { ViewContext } from './render.tsx'
import { StateBadge } from './state-badge.tsx'

function Node(p: { node: NodeView; view: ViewContext }) {
  const { node, view } = p
  if (node.kind === 'task') {
    return (
      <li>
        <StateBadge state={node.state} />{' '}
        <a href={`${view.base}/tasks/${encodeURIComponent(node.id)}`} class="mono">
          {node.task}
        </a>
        {node.link && <Branch label="link" nodes={node.link} view={view} />}
        {node.linkError && <Branch label="link_error" nodes={node.linkError} view={view} />}
      </li>
    )
  }
  if (node.kind === 'chain') return <Branch label="chain" nodes={node.steps} view={view} />
  if (node.kind === 'group') return <Branch label="group" nodes={node.members} view={view} />
  return (
    <li>
      <span class="muted">chord</span>
      <ol class="workflow">
        {node.members.map((n) => (
          <Node node={n} view={view} />
        ))}
      </ol>
      <span class="muted">callback</span>
      <ol class="workflow">
        <Node node={node.callback} view={view} />
      </ol>
    </li>
  )
}

function Branch(p: { label: string; nodes: NodeView[]; view: ViewContext }) {
  return (
    <li>
      <span class="muted">{p.label}</span>
      <ol class="workflow">
        {p.nodes.map((n) => (
          <Node node={n} view={p.view} />
        ))}
      </ol>
    </li>
  )
}

/** A workflow's tree, each task with its state and a link to its page; refreshed as tasks change. */
export function WorkflowPage(p: { workflow: WorkflowView; view: ViewContext }) {
  return (
    <section>
      <p>
        <StateBadge state={p.workflow.state} /> <span class="mono">{p.workflow.id}</span>
      </p>
      <ol class="workflow">
        <Node node={p.workflow.tree} view={p.view} />
      </ol>
    </section>
  )
}
