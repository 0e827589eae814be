import { AppError } from '@costwise/core'
import type { z } from 'zod'

/** Parses a command's options; a bad one is a BAD_INPUT error that names the option (`--team: …`). */
export function parseOptions<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const field = issue.path.join('.')
    throw new AppError('BAD_INPUT', `--${field}: ${issue.message}`, { field })
  }
  return result.data
}
