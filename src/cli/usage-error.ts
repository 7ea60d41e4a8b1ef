import { CeleriacError } from '../core/errors.ts'

/** The command line itself is wrong (unknown flag, missing argument): exit 2 with usage. */
export class UsageError extends CeleriacError {
  override name = 'UsageError'
  constructor(message: string) {
    super('VALIDATION', message)
  }
}
