import type { TaskResult } from '../core/result.ts'
import {
  type BrokerAdmin,
  DEFAULT_LIST_LIMIT,
  DEFAULT_SCAN_BUDGET,
  MAX_LIST_LIMIT,
  type TaskPage,
  type TaskQuery,
} from './broker.ts'

/**
 * A text search over encrypted inputs: the engine cannot read them, so it lists without the text
 * and the match runs here on the opened tasks (name or input, case-insensitive, as the engines
 * match). Each engine page asks for no more than the slots still free, so a page never overfills
 * and the engine's cursor stays exact; the scan budget bounds the whole page as it does there.
 */
export async function searchOpened(
  engine: Pick<BrokerAdmin, 'listTasks'>,
  query: TaskQuery & { text: string },
  open: (task: TaskResult) => TaskResult,
): Promise<TaskPage> {
  const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_LIST_LIMIT), MAX_LIST_LIMIT)
  const budget = Math.max(1, query.scanBudget ?? DEFAULT_SCAN_BUDGET)
  const needle = query.text.toLowerCase()
  const matches = (t: TaskResult) =>
    t.task.toLowerCase().includes(needle) ||
    JSON.stringify(t.input ?? null)
      .toLowerCase()
      .includes(needle)
  const found: TaskResult[] = []
  let cursor = query.cursor
  let examined = 0
  for (;;) {
    const page = await engine.listTasks({
      ...query,
      text: undefined,
      cursor,
      limit: limit - found.length,
      scanBudget: budget - examined,
    })
    examined += page.truncated ? budget - examined : page.tasks.length
    found.push(...page.tasks.map(open).filter(matches))
    cursor = page.nextCursor ?? undefined
    if (page.nextCursor === null || found.length === limit)
      return { tasks: found, nextCursor: page.nextCursor, truncated: false }
    if (examined >= budget) return { tasks: found, nextCursor: page.nextCursor, truncated: true }
  }
}
