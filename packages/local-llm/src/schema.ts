import { z } from 'zod'

/**
 * The request body of POST /v1/chat/completions, as far as the local server cares. Parameters it
 * does not use (tools, response_format, logit_bias, …) pass through unvalidated, as they would be
 * accepted by OpenAI; the ones it reads are checked with OpenAI's own limits.
 */

const textPart = z.looseObject({
  type: z.literal('text', { error: "expected 'text' (the local server accepts text parts only)" }),
  text: z.string({ error: 'expected a string' }),
})

const content = z.union([z.string(), z.array(textPart), z.null()], {
  error: 'expected a string or an array of text parts',
})

const message = z
  .looseObject({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function'], {
      error: "expected one of 'system', 'developer', 'user', 'assistant', 'tool', 'function'",
    }),
    content: content.optional(),
    name: z.string({ error: 'expected a string' }).optional(),
  })
  .superRefine((m, ctx) => {
    // Only assistant messages (which may carry tool calls instead) can omit their content.
    if (m.role !== 'assistant' && (m.content === undefined || m.content === null)) {
      ctx.addIssue({ code: 'custom', path: ['content'], message: 'Missing required parameter', input: m.content })
    }
  })

const positiveInt = z.int({ error: 'expected an integer' }).min(1, { error: 'expected an integer of at least 1' })
const optionalNullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional()

export const chatCompletionBody = z.looseObject({
  model: z.string({ error: 'expected a string' }).min(1, { error: 'expected a non-empty string' }),
  messages: z
    .array(message, { error: 'expected an array of messages' })
    .min(1, { error: 'expected an array with at least one message' }),
  max_tokens: optionalNullable(positiveInt),
  max_completion_tokens: optionalNullable(positiveInt),
  stream: optionalNullable(z.boolean({ error: 'expected a boolean' })),
  stream_options: optionalNullable(
    z.looseObject({ include_usage: z.boolean({ error: 'expected a boolean' }).optional() }),
  ),
  temperature: optionalNullable(
    z
      .number({ error: 'expected a number' })
      .min(0, { error: 'expected a number ≥ 0' })
      .max(2, { error: 'expected a number ≤ 2' }),
  ),
  top_p: optionalNullable(
    z
      .number({ error: 'expected a number' })
      .min(0, { error: 'expected a number ≥ 0' })
      .max(1, { error: 'expected a number ≤ 1' }),
  ),
  presence_penalty: optionalNullable(z.number({ error: 'expected a number' }).min(-2).max(2)),
  frequency_penalty: optionalNullable(z.number({ error: 'expected a number' }).min(-2).max(2)),
  n: optionalNullable(z.literal(1, { error: 'the local server generates one choice (n = 1) only' })),
  seed: optionalNullable(z.int({ error: 'expected an integer' })),
  user: optionalNullable(z.string({ error: 'expected a string' })),
  stop: optionalNullable(
    z.union([z.string(), z.array(z.string()).max(4)], { error: 'expected a string or up to 4 strings' }),
  ),
})

export type ChatCompletionBody = z.infer<typeof chatCompletionBody>
export type ChatMessage = ChatCompletionBody['messages'][number]

/** A body path as OpenAI names parameters: `messages[0].content`. */
export function formatParam(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out ? `.${String(key)}` : String(key)
  }
  return out
}

export interface BodyProblem {
  message: string
  param: string
  code: 'missing_required_parameter' | 'invalid_type' | 'invalid_value'
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

type Issue = z.core.$ZodIssue

/** For a union that matched nothing, the branch that got furthest names the real problem. */
function mostSpecific(issue: Issue): Issue & { fullPath: PropertyKey[] } {
  const fullPath = [...issue.path]
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { ...issue, fullPath }
  let best: Issue | undefined
  for (const branch of issue.errors) {
    for (const inner of branch) if (inner.path.length > (best?.path.length ?? 0)) best = inner
  }
  if (!best) return { ...issue, fullPath }
  const deeper = mostSpecific(best)
  return { ...deeper, fullPath: [...fullPath, ...deeper.fullPath] }
}

/** The first problem in a body, in OpenAI's words where it has them. */
export function describeProblem(error: z.ZodError, body: unknown): BodyProblem {
  const first = error.issues[0]
  if (!first) return { message: 'Invalid request body.', param: '', code: 'invalid_value' }
  const issue = mostSpecific(first)
  const param = formatParam(issue.fullPath)
  if (valueAt(body, issue.fullPath) === undefined) {
    return { message: `Missing required parameter: '${param}'.`, param, code: 'missing_required_parameter' }
  }
  const code = issue.code === 'invalid_type' || issue.code === 'invalid_union' ? 'invalid_type' : 'invalid_value'
  const kind = code === 'invalid_type' ? 'type' : 'value'
  return { message: `Invalid ${kind} for '${param}': ${issue.message}.`, param, code }
}

/** Text of a message's content (text parts joined), as counted and as scanned for triggers. */
export function messageText(m: ChatMessage): string {
  if (typeof m.content === 'string') return m.content
  if (Array.isArray(m.content)) return m.content.map((p) => p.text).join('')
  return ''
}
