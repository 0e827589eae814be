import { createRng, normal, type Rng } from '../../random'

/**
 * Synthetic team histories for the recommendation tests (core unit tests and the API integration test share
 * them): one with planted facts, one control team with healthy usage. Deterministic for a seed. Token counts of
 * the templates come from the caller (estimateTokens), so the planted runs agree with what the engine measures.
 */

export interface HistoryPrompt {
  key: 'summariser' | 'tagger' | 'policy' | 'classifier' | 'drafter'
  name: string
  model: string
  systemMessage: string
  userMessage: string
  maxOutputTokens: number
}

export interface HistoryEvent {
  prompt: HistoryPrompt['key'] | null
  /** Sent with the team's API key (feature `api`) rather than from the Lab. */
  viaKey: boolean
  model: string
  at: Date
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  status: 'ok' | 'error' | 'blocked'
  /** Blocked runs: the prompt estimate and what the budget had left when it refused. */
  blocked?: { estimatedInputTokens: number; roomUsd: string }
}

export interface History {
  prompts: HistoryPrompt[]
  events: HistoryEvent[]
}

const around = (rng: Rng, median: number, spread: number, min = 1) =>
  Math.max(min, Math.round(median * Math.exp(normal(rng) * spread)))

/** A system message of about `words` tokens with no variables (" policy" is one o200k token). */
export function longSystemMessage(words: number): string {
  return `Policy${' policy'.repeat(words - 1)}`
}

function spread(rng: Rng, now: Date, days: number): Date {
  return new Date(now.getTime() - Math.floor(rng() * days * 86_400_000) - 60_000)
}

/** p99 (nearest rank) of numbers, for sizing planted limits. */
function p99(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.ceil(0.99 * s.length) - 1]!
}

/**
 * The planted team: over the 30 days before `now`,
 * - "Support summariser" on gpt-4o — far cheaper on a smaller model (gpt-4.1-mini);
 * - "Tagger" with maxOutputTokens ten times its p99 output, and five blocked runs (three would have fit);
 * - "Policy QA" on claude-haiku-4-5 sending a ~3,000-token system prompt without cached tokens;
 * - a nightly job on the API key, 100 calls per burst, on gpt-4o-mini (batch API);
 * - a few calls of a model nobody prices.
 * `systemTokens` is the token count of the Policy QA system message for its model (the caller measures it).
 */
export function plantedHistory(options: { now: Date; seed?: number; policyPrefixTokens: number }): History {
  const rng = createRng(options.seed ?? 14)
  const now = options.now
  const summariser: HistoryPrompt = {
    key: 'summariser',
    name: 'Support summariser',
    model: 'gpt-4o',
    systemMessage: 'You summarise support tickets for {{product}} in three sentences.',
    userMessage: 'Ticket:\n{{ticket}}',
    maxOutputTokens: 400,
  }
  const tagger: HistoryPrompt = {
    key: 'tagger',
    name: 'Tagger',
    model: 'gpt-4.1-nano',
    systemMessage: 'Tag the text with up to three labels from the list.',
    userMessage: '{{text}}',
    maxOutputTokens: 0, // set below: ten times the p99 output
  }
  const policy: HistoryPrompt = {
    key: 'policy',
    name: 'Policy QA',
    model: 'claude-haiku-4-5',
    systemMessage: longSystemMessage(3000),
    userMessage: 'Question: {{question}}',
    maxOutputTokens: 600,
  }
  const events: HistoryEvent[] = []
  const run = (
    prompt: HistoryPrompt,
    input: number,
    output: number,
    status: HistoryEvent['status'] = 'ok',
    at = spread(rng, now, 29),
  ) =>
    events.push({
      prompt: prompt.key,
      viaKey: false,
      model: prompt.model,
      at,
      inputTokens: input,
      outputTokens: status === 'ok' ? output : 0,
      cachedInputTokens: 0,
      status,
    })

  for (let i = 0; i < 60; i++)
    run(summariser, around(rng, 700, 0.2), around(rng, 180, 0.25), i % 30 === 7 ? 'error' : 'ok')

  const tagOutputs: number[] = []
  for (let i = 0; i < 80; i++) {
    const output = around(rng, 24, 0.3)
    tagOutputs.push(output)
    run(tagger, around(rng, 150, 0.3), output)
  }
  const tagP99 = p99(tagOutputs)
  tagger.maxOutputTokens = tagP99 * 10

  for (let i = 0; i < 50; i++) run(policy, options.policyPrefixTokens + around(rng, 60, 0.3), around(rng, 150, 0.2))

  // Nightly bulk job: six nights, 100 calls within ten minutes after 02:00 UTC.
  for (let night = 1; night <= 6; night++) {
    const start = new Date(now.getTime() - night * 86_400_000)
    start.setUTCHours(2, 0, 0, 0)
    for (let i = 0; i < 100; i++) {
      events.push({
        prompt: null,
        viaKey: true,
        model: 'gpt-4o-mini',
        at: new Date(start.getTime() + Math.floor(rng() * 600_000)),
        inputTokens: around(rng, 500, 0.2),
        outputTokens: around(rng, 50, 0.2),
        cachedInputTokens: 0,
        status: 'ok',
      })
    }
  }
  for (let i = 0; i < 5; i++) {
    events.push({
      prompt: null,
      viaKey: true,
      model: 'acme-internal-llm',
      at: spread(rng, now, 20),
      inputTokens: 400,
      outputTokens: 90,
      cachedInputTokens: 0,
      status: 'ok',
    })
  }
  return { prompts: [summariser, tagger, policy], events }
}

/** Blocked Tagger runs: three refused with room for the suggested limit but not the old one, two with no room at all. */
export function plantedBlockedRuns(now: Date, roomForSuggested: string): HistoryEvent[] {
  return [0, 1, 2, 3, 4].map((i) => ({
    prompt: 'tagger' as const,
    viaKey: false,
    model: 'gpt-4.1-nano',
    at: new Date(now.getTime() - (i + 1) * 3_600_000),
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    status: 'blocked' as const,
    blocked: { estimatedInputTokens: 150, roomUsd: i < 3 ? roomForSuggested : '0' },
  }))
}

/**
 * The control team: healthy usage only — prompts on models with no far cheaper sibling, limits near their
 * outputs, short system prompts, steady inputs, interactive API traffic, every model priced.
 */
export function controlHistory(options: { now: Date; seed?: number; days?: number }): History {
  const rng = createRng(options.seed ?? 41)
  const days = options.days ?? 30
  const classifier: HistoryPrompt = {
    key: 'classifier',
    name: 'Classifier',
    model: 'gpt-4.1-nano',
    systemMessage: 'Classify the message as billing, bug, feature or other.',
    userMessage: '{{message}}',
    maxOutputTokens: 0,
  }
  const drafter: HistoryPrompt = {
    key: 'drafter',
    name: 'Reply drafter',
    model: 'gpt-4o-mini',
    systemMessage: 'Draft a short, friendly reply.',
    userMessage: 'Customer wrote:\n{{message}}',
    maxOutputTokens: 0,
  }
  const events: HistoryEvent[] = []
  const outputs: Record<string, number[]> = { classifier: [], drafter: [] }
  for (let i = 0; i < 3 * days; i++) {
    const output = around(rng, 40, 0.25)
    outputs.classifier!.push(output)
    events.push({
      prompt: 'classifier',
      viaKey: false,
      model: classifier.model,
      at: spread(rng, options.now, days),
      inputTokens: around(rng, 300, 0.25),
      outputTokens: output,
      cachedInputTokens: 0,
      status: 'ok',
    })
  }
  for (let i = 0; i < 2 * days; i++) {
    const output = around(rng, 250, 0.2)
    outputs.drafter!.push(output)
    events.push({
      prompt: 'drafter',
      viaKey: false,
      model: drafter.model,
      at: spread(rng, options.now, days),
      inputTokens: around(rng, 800, 0.2),
      outputTokens: output,
      cachedInputTokens: 0,
      status: i % 50 === 3 ? 'error' : 'ok',
    })
  }
  classifier.maxOutputTokens = Math.ceil(p99(outputs.classifier!) * 1.5)
  drafter.maxOutputTokens = Math.ceil(p99(outputs.drafter!) * 1.5)
  // Interactive API traffic: a handful of calls an hour in office hours.
  for (let i = 0; i < 8 * days; i++) {
    events.push({
      prompt: null,
      viaKey: true,
      model: 'gpt-4.1-nano',
      at: spread(rng, options.now, days),
      inputTokens: around(rng, 400, 0.2),
      outputTokens: around(rng, 60, 0.2),
      cachedInputTokens: 0,
      status: 'ok',
    })
  }
  return { prompts: [classifier, drafter], events }
}
