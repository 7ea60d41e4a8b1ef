import type { Json } from '../../core/json.ts'
import { type SqliteContext, writeTx } from './sqlite-context.ts'

/** Workflow trees and group joins: a join is one transaction, so two last members cannot both miss it. */
export function createWorkflowOperations(ctx: SqliteContext) {
  const { db, clock } = ctx
  const put = db.prepare(
    `INSERT INTO workflows (id, tree, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET tree = excluded.tree, expires_at = excluded.expires_at`,
  )
  const get = db.prepare<{ tree: string }, [string, number]>(
    'SELECT tree FROM workflows WHERE id = ? AND expires_at > ?',
  )
  const join = db.prepare(
    'INSERT INTO workflow_joins (group_id, idx, result, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  )
  const count = db.prepare<{ n: number }, [string]>(
    'SELECT count(*) AS n FROM workflow_joins WHERE group_id = ?',
  )
  const members = db.prepare<{ idx: number; result: string }, [string]>(
    'SELECT idx, result FROM workflow_joins WHERE group_id = ? ORDER BY idx',
  )
  return {
    putWorkflow: writeTx(db, (id: string, tree: Json, ttlMs: number) => {
      put.run(id, JSON.stringify(tree), clock.now() + ttlMs)
    }),
    getWorkflow: (id: string): Json | null => {
      const row = get.get(id, clock.now())
      return row ? (JSON.parse(row.tree) as Json) : null
    },
    joinGroup: writeTx(db, (group: string, index: number, size: number, result: Json, ttlMs: number) => {
      join.run(group, index, JSON.stringify(result), clock.now() + ttlMs)
      // Counting first: only the completing call (and later ones) read every result.
      if ((count.get(group)?.n ?? 0) < size) return null
      return members
        .all(group)
        .slice(0, size)
        .map((r) => JSON.parse(r.result) as Json)
    }),
  }
}
