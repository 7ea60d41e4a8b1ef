import { z } from 'zod'

export const EventsQuery = z
  .object({
    task: z.string().max(200).optional().meta({ description: 'only events of this task name' }),
    queue: z.string().max(100).optional(),
    types: z
      .string()
      .max(500)
      .optional()
      .meta({ description: "comma-separated event types; 'task:' or 'worker:' matches a whole family" }),
    last_event_id: z
      .string()
      .max(100)
      .optional()
      .meta({ description: 'resume after this seq (for clients that cannot send Last-Event-ID)' }),
  })
  .strict()
