/**
 * The soak's own task module, loaded with `-A` by every role: beat fires `soak.tick` every
 * second, so the ledger can count slots. Imports 'celeriac' like any user's module.
 */
import { defineTask, z } from 'celeriac'

export const tick = defineTask({
  name: 'soak.tick',
  queue: 'soak',
  input: z.object({}),
  run: () => null,
})
