import { renderTemplate } from '@costwise/core/prompts/template'
import type { GatewayMessage } from './gateway'

/** A Lab prompt's messages: the system message (when not blank) and the user message, variables filled in. */
export function labMessages(input: {
  system: string
  user: string
  variables: Record<string, string>
}): GatewayMessage[] {
  const system = renderTemplate(input.system, input.variables)
  const user = renderTemplate(input.user, input.variables)
  return [
    ...(system.trim() ? [{ role: 'system' as const, content: system }] : []),
    { role: 'user' as const, content: user },
  ]
}
