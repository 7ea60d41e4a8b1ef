import { readFileSync } from 'node:fs'
import { Client } from '../client/client.ts'
import type { NodeView } from '../client/workflows/workflow-handle.ts'
import { WorkflowRunner } from '../client/workflows/workflow-runner.ts'
import { action, booleanFlag } from './args.ts'
import type { Command, CommandContext } from './command.ts'
import { JSON_FLAG } from './global-flags.ts'
import { UsageError } from './usage-error.ts'

const ACTIONS = ['run', 'show', 'revoke', 'retry'] as const

/** The tree as a JSON file, or `-` for standard input. */
function readTree(path: string): unknown {
  let text: string
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8')
  } catch (err) {
    throw new UsageError(`workflow run: cannot read '${path}': ${(err as Error).message}`)
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new UsageError(`workflow run: '${path}' is not JSON: ${(err as Error).message}`)
  }
}

/** One line per task, indented by depth: `  ✓ wf.add 0192… SUCCESS`. */
function outline(node: NodeView, depth = 0): string[] {
  const pad = '  '.repeat(depth)
  switch (node.kind) {
    case 'task':
      return [
        `${pad}${node.task} ${node.id} ${node.state}`,
        ...(node.link ?? []).flatMap((l) => outline(l, depth + 1).map((s) => `${s} (link)`)),
        ...(node.linkError ?? []).flatMap((l) => outline(l, depth + 1).map((s) => `${s} (link_error)`)),
      ]
    case 'chain':
      return [`${pad}chain`, ...node.steps.flatMap((s) => outline(s, depth + 1))]
    case 'group':
      return [`${pad}group`, ...node.members.flatMap((m) => outline(m, depth + 1))]
    case 'chord':
      return [
        `${pad}chord`,
        ...node.members.flatMap((m) => outline(m, depth + 1)),
        `${pad}callback`,
        ...outline(node.callback, depth + 1),
      ]
  }
}

async function runnerOf(ctx: CommandContext): Promise<WorkflowRunner> {
  const broker = await ctx.broker()
  return new WorkflowRunner(new Client({ broker, registry: ctx.registry }), broker)
}

/** `celeriac workflow run|show|revoke|retry`: workflows (chain, group, chord) from the command line. */
export const workflowCommand: Command = {
  name: 'workflow',
  summary: 'Start a workflow (chain, group, chord) from JSON, show it with every member, revoke or retry it.',
  args: 'run FILE|- | show <id> [--json] | revoke <id> | retry <id>',
  details: [
    'Example: echo \'{"chain":[{"task":"debug.sleep","input":{"ms":5}},{"task":"debug.noop","input":{}}]}\' | celeriac workflow run -',
    'A tree is {task, input?, options?, resultKey?, link?, linkError?}, {chain: [...]}, {group: [...]} or {chord: [...], callback}.',
    'Exit codes: show exits 1 for a failed workflow, 3 while it still runs; retry requeues its failed members.',
  ],
  flags: JSON_FLAG,
  async run(ctx, args) {
    const [what, target] = action(args, ACTIONS, [args.positionals[0] === 'run' ? '<FILE|->' : '<id>']) as [
      (typeof ACTIONS)[number],
      string,
    ]
    const tree = what === 'run' ? readTree(target) : null
    const runner = await runnerOf(ctx)
    if (what === 'run') {
      ctx.io.out((await runner.start(tree)).id)
      return 0
    }
    const id = target
    const handle = runner.handle(id)
    if (what === 'revoke') {
      ctx.io.out(`revoked ${await handle.revoke()} members of ${id}`)
      return 0
    }
    if (what === 'retry') {
      const broker = await ctx.broker()
      const requeued = await handle.retry((taskId) => broker.requeueDead(taskId))
      ctx.io.out(requeued.length === 0 ? 'no failed member to retry' : `requeued ${requeued.join(', ')}`)
      return 0
    }
    const view = await handle.view()
    if (booleanFlag(args, 'json')) ctx.io.out(JSON.stringify(view, null, 2))
    else ctx.io.out([`${view.id} ${view.state}`, ...outline(view.tree, 1)].join('\n'))
    return view.state === 'FAILURE' ? 1 : view.state === 'SUCCESS' ? 0 : 3
  },
}
