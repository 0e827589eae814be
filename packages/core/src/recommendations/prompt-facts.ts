import { templateVariables, VARIABLE_PATTERN } from '../prompts/template'
import { estimateTokens } from '../tokens/estimate'

/**
 * A prompt template's token facts for the engine: the stable prefix (everything before the first variable —
 * the whole system message when it has none, then the user message up to its first variable) that a provider
 * could serve from cache, and all the fixed text (what stays when the variables are left out).
 */
export async function promptTokenFacts(prompt: { systemMessage: string; userMessage: string; model: string }) {
  const firstVariable = (text: string) => {
    const match = new RegExp(VARIABLE_PATTERN.source).exec(text)
    return match ? match.index : -1
  }
  const inSystem = firstVariable(prompt.systemMessage)
  const prefix =
    inSystem >= 0
      ? prompt.systemMessage.slice(0, inSystem)
      : prompt.systemMessage +
        (firstVariable(prompt.userMessage) >= 0
          ? prompt.userMessage.slice(0, firstVariable(prompt.userMessage))
          : prompt.userMessage)
  const fixed = (prompt.systemMessage + '\n' + prompt.userMessage).replace(new RegExp(VARIABLE_PATTERN.source, 'g'), '')
  const [prefixTokens, fixedTokens] = await Promise.all([
    estimateTokens(prefix, prompt.model),
    estimateTokens(fixed, prompt.model),
  ])
  return {
    staticPrefixTokens: prefixTokens.tokens,
    fixedTokens: fixedTokens.tokens,
    variables: templateVariables(prompt.systemMessage, prompt.userMessage),
  }
}
