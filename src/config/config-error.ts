import { CeleriacError } from '../core/errors.ts'

/** Configuration that cannot be used: lists every problem found, each naming its field and source. */
export class ConfigError extends CeleriacError {
  override name = 'ConfigError'
  constructor(readonly problems: readonly string[]) {
    super('CONFIG', `invalid configuration: ${problems.join('; ')}`)
  }
}
