/**
 * The models the local server answers for. `costwise-demo` and `costwise-demo-mini` are priced in
 * @costwise/core's catalogue under provider `local`; `costwise-demo-reasoner` behaves like an
 * o-series model (reports reasoning tokens, rejects `max_tokens` in favour of
 * `max_completion_tokens`).
 */
export interface LocalModel {
  readonly id: string
  /** Unix seconds, as OpenAI's model objects carry. Fixed so listings are deterministic. */
  readonly created: number
  readonly ownedBy: string
  readonly contextWindow: number
  readonly maxOutputTokens: number
  /** Default answer length range (tokens of visible text), chosen per request deterministically. */
  readonly answerTokens: readonly [min: number, max: number]
  /** Hidden reasoning tokens range, for reasoning models; absent otherwise. */
  readonly reasoningTokens?: readonly [min: number, max: number]
}

export const LOCAL_MODELS: readonly LocalModel[] = [
  {
    id: 'costwise-demo',
    created: 1_704_067_200,
    ownedBy: 'costwise',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    answerTokens: [60, 200],
  },
  {
    id: 'costwise-demo-mini',
    created: 1_704_067_200,
    ownedBy: 'costwise',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    answerTokens: [40, 120],
  },
  {
    id: 'costwise-demo-reasoner',
    created: 1_704_067_200,
    ownedBy: 'costwise',
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    answerTokens: [40, 160],
    reasoningTokens: [64, 384],
  },
]

export const LOCAL_MODEL_IDS: readonly string[] = LOCAL_MODELS.map((m) => m.id)

export function findLocalModel(id: string): LocalModel | undefined {
  return LOCAL_MODELS.find((m) => m.id === id)
}
