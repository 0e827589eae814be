import {
  CHAT_REPLY_PRIMING_TOKENS,
  estimateChatTokens,
  estimateChatTokensSync,
  estimateTokensSync,
} from '@costwise/core'

/**
 * Token counting for usage reports, through @costwise/core's estimators, counted as gpt-4o
 * (o200k_base, exact). Chat framing is core's (OpenAI's cookbook rule: 3 tokens per message on top
 * of role + content, 1 + name for a name, and 3 to prime the reply), so the prompt_tokens this
 * server reports equal what the gateway estimates before the call.
 */

export interface CountableMessage {
  role: string
  /** The message text (text parts joined). */
  text: string
  name?: string | undefined
}

export interface TokenCounter {
  /** Tokens of plain text (used for completions). */
  countText(text: string): number
  /** Tokens each message adds to a prompt, framing included but not the reply priming, in order. */
  countMessages(messages: readonly CountableMessage[]): number[]
}

/** The model core counts with: gpt-4o's o200k_base encoding, the same as the demo models'. */
export const COUNTING_MODEL = 'gpt-4o'
/** Tokens OpenAI adds to every prompt to prime the assistant's reply. */
export const REPLY_PRIMING_TOKENS = CHAT_REPLY_PRIMING_TOKENS

let counter: Promise<TokenCounter> | undefined

function toCoreMessage(m: CountableMessage) {
  return { role: m.role, content: m.text, ...(m.name ? { name: m.name } : {}) }
}

/** The shared counter; the first call loads the encoding (once per process). */
export function loadTokenCounter(): Promise<TokenCounter> {
  counter ??= estimateChatTokens([], COUNTING_MODEL).then(() => ({
    countText: (text: string) => (text ? estimateTokensSync(text, COUNTING_MODEL).tokens : 0),
    countMessages: (messages) =>
      messages.map((m) => estimateChatTokensSync([toCoreMessage(m)], COUNTING_MODEL).tokens - REPLY_PRIMING_TOKENS),
  }))
  return counter
}
