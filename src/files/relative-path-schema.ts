import { z } from 'zod'
import { relativePathProblem } from './relative-path-problem.ts'

/** A path relative to a root, checked as text at enqueue (so the API answers 400 naming the field). */
export const RelativePath = z
  .string()
  .max(1_024)
  .superRefine((path, ctx) => {
    const problem = relativePathProblem(path)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })
