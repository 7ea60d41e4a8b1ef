import { allCommand } from './all-command.ts'
import { apiCommand } from './api-command.ts'
import { beatCommand } from './beat-command.ts'
import { callCommand } from './call-command.ts'
import type { Command } from './command.ts'
import { controlCommand } from './control-command.ts'
import { deadCommand } from './dead-command.ts'
import { eventsCommand } from './events-command.ts'
import { inspectCommand } from './inspect-command.ts'
import { probeCommand } from './probe-command.ts'
import { purgeCommand } from './purge-command.ts'
import { resultCommand } from './result-command.ts'
import { revokeCommand } from './revoke-command.ts'
import { schedulesCommand } from './schedules-command.ts'
import { statusCommand } from './status-command.ts'
import { workerCommand } from './worker-command.ts'
import { workflowCommand } from './workflow-command.ts'

/** Every subcommand, in the order `celeriac --help` lists them. New roles (beat) add theirs here. */
export const COMMANDS: readonly Command[] = [
  allCommand,
  apiCommand,
  workerCommand,
  beatCommand,
  callCommand,
  resultCommand,
  revokeCommand,
  statusCommand,
  inspectCommand,
  eventsCommand,
  controlCommand,
  deadCommand,
  purgeCommand,
  schedulesCommand,
  workflowCommand,
  probeCommand,
]
