import type { Json } from '../../core/json.ts'
import type { RedisContext } from './redis-context.ts'

/** Workflow trees (a string each) and group joins (join-group-1.lua), each in its own slot. */
export function createWorkflowOperations(ctx: RedisContext) {
  const { conn, keys } = ctx
  return {
    putWorkflow: async (id: string, tree: Json, ttlMs: number) => {
      await conn.run(
        'putWorkflow',
        [keys.workflow(id)],
        [JSON.stringify(tree), Math.max(1, Math.round(ttlMs))],
      )
    },
    getWorkflow: async (id: string): Promise<Json | null> => {
      const [text] = await conn.client.mget(keys.workflow(id))
      return text == null ? null : (JSON.parse(text) as Json)
    },
    joinGroup: async (group: string, index: number, size: number, result: Json, ttlMs: number) => {
      const reply = (await conn.run(
        'joinGroup',
        [keys.join(group)],
        [index, size, JSON.stringify(result), Math.round(ttlMs)],
      )) as (string | null)[] | null
      return reply ? reply.map((r) => JSON.parse(String(r)) as Json) : null
    },
  }
}
