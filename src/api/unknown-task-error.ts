import { didYouMean } from '../core/did-you-mean.ts'
import { ApiError } from './api-error.ts'

/** 404 `unknown_task` naming the closest registered task, so a typo is fixed in one look. */
export function unknownTaskError(name: string, registered: readonly string[]): ApiError {
  const guess = didYouMean(name, registered)
  const hint = guess ? ` (did you mean '${guess}'?)` : ''
  return new ApiError(404, 'unknown_task', `unknown task '${name.slice(0, 200)}'${hint}`, {
    task: name.slice(0, 200),
    did_you_mean: guess,
    registered,
  })
}
