import { z } from 'zod'
import { createDocument, createSchema, type ZodOpenApiPathsObject } from 'zod-openapi'
import type { TaskRegistry } from '../../core/registry.ts'
import { VERSION } from '../../version.ts'
import { Enqueued, OptionHeaders } from '../schemas/enqueue.ts'
import { API_PATHS } from './api-paths.ts'
import { monitoringPaths } from './monitoring-paths.ts'

/** z.date() (an eta given as a Date) cannot arrive over JSON; render it as "anything". */
const OPTIONS = { allowEmptySchema: { date: true } } as const

/** One path per registered task, with its own input schema, where that schema has a JSON form. */
function taskPaths(registry: TaskRegistry): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {}
  for (const name of registry.names()) {
    const task = registry.get(name)
    if (!task) continue
    let input: z.ZodType = z.unknown().meta({ description: 'checked by the task at enqueue' })
    try {
      createSchema(task.input, { io: 'input', ...OPTIONS })
      input = task.input
    } catch {
      // A schema with transforms or custom checks has no JSON Schema: the path still documents the task.
    }
    paths[`/api/v1/tasks/${name}`] = {
      post: {
        summary: task.options.description ?? `Enqueue ${name}`,
        tags: ['tasks'],
        requestParams: { header: OptionHeaders },
        requestBody: { content: { 'application/json': { schema: input } } },
        responses: {
          '202': { description: 'enqueued', content: { 'application/json': { schema: Enqueued } } },
        },
      },
    }
  }
  return paths
}

/** The OpenAPI 3.1 document of this api process: its routes, its registered tasks, the monitoring API if mounted. */
export function openApiDocument(
  registry: TaskRegistry,
  monitoringPrefix: string | null = null,
): ReturnType<typeof createDocument> {
  return createDocument(
    {
      openapi: '3.1.0',
      info: { title: 'Celeriac API', version: VERSION },
      security: [{ bearer: [] }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      paths: {
        ...API_PATHS,
        ...taskPaths(registry),
        ...(monitoringPrefix === null ? {} : monitoringPaths(monitoringPrefix)),
      },
    },
    OPTIONS,
  )
}
