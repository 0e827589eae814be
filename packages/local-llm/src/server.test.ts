import { estimateChatTokens, loadEncoding } from '@costwise/core'
import OpenAI from 'openai'
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { LOCAL_MODELS, startLocalLlm, type LocalLlmServer } from './index'

let server: LocalLlmServer
let client: OpenAI

beforeAll(async () => {
  server = await startLocalLlm({ latencyMs: { firstToken: 0, perToken: 0 } })
  client = new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 0 })
})
afterAll(() => server.stop())
beforeEach(() => server.reset())

const ask = (content: string): ChatCompletionMessageParam[] => [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content },
]

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the call to fail')
}

describe('models', () => {
  it('lists the demo models', async () => {
    const ids: string[] = []
    for await (const model of client.models.list()) ids.push(model.id)
    expect(ids).toEqual(LOCAL_MODELS.map((m) => m.id))
    expect(ids).toEqual(expect.arrayContaining(['costwise-demo', 'costwise-demo-mini']))
    const one = await client.models.retrieve('costwise-demo-mini')
    expect(one).toMatchObject({ id: 'costwise-demo-mini', object: 'model' })
  })
})

describe('non-streaming completions', () => {
  it('answers deterministically with usage that counts the text', async () => {
    const params = { model: 'costwise-demo', messages: ask('How can I cut the cost of summaries?') }
    const first = await client.chat.completions.create(params)
    const second = await client.chat.completions.create({ ...params, temperature: 1.5, seed: 7, user: 'u1' })
    const text = first.choices[0]?.message.content ?? ''
    expect(first.object).toBe('chat.completion')
    expect(first.model).toBe('costwise-demo')
    expect(first.choices[0]?.finish_reason).toBe('stop')
    expect(first.choices[0]?.message.role).toBe('assistant')
    expect(text).toContain('How can I cut the cost of summaries?')
    expect(second.choices[0]?.message.content).toBe(text)
    expect(second.id).not.toBe(first.id)

    const o200k = await loadEncoding('o200k_base')
    const usage = first.usage!
    expect(usage.completion_tokens).toBe(o200k.count(text))
    expect(usage.completion_tokens).toBeGreaterThanOrEqual(40)
    // OpenAI's framing: 3 per message + role + content, and 3 to prime the reply.
    const expectedPrompt =
      3 +
      o200k.count('system') +
      o200k.count('You are a helpful assistant.') +
      3 +
      o200k.count('user') +
      o200k.count('How can I cut the cost of summaries?') +
      3
    expect(usage.prompt_tokens).toBe(expectedPrompt)
    expect(usage.prompt_tokens).toBe((await estimateChatTokens(params.messages as never, 'gpt-4o')).tokens)
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens)
    expect(usage.prompt_tokens_details?.cached_tokens).toBe(0)
    expect(usage.completion_tokens_details?.reasoning_tokens).toBe(0)
  })

  it('varies the answer with the model and the messages', async () => {
    const text = async (model: string, question: string) =>
      (await client.chat.completions.create({ model, messages: ask(question) })).choices[0]?.message.content
    const base = await text('costwise-demo', 'What is a token?')
    expect(await text('costwise-demo-mini', 'What is a token?')).not.toBe(base)
    expect(await text('costwise-demo', 'What is a budget?')).not.toBe(base)
  })

  it('accepts content as an array of text parts and a name', async () => {
    const response = await client.chat.completions.create({
      model: 'costwise-demo-mini',
      messages: [
        {
          role: 'user',
          name: 'ada',
          content: [
            { type: 'text', text: 'Hello ' },
            { type: 'text', text: 'there' },
          ],
        },
      ],
      max_completion_tokens: 500,
    })
    expect(response.choices[0]?.message.content).toContain('Hello there')
  })

  it('sets x-request-id', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'costwise-demo', messages: ask('hi') })
      .withResponse()
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/)
  })
})

describe('streaming', () => {
  it('streams word by word; the deltas join to the non-streaming text and end with usage', async () => {
    const params = { model: 'costwise-demo', messages: ask('Explain prompt caching.') }
    const whole = await client.chat.completions.create(params)
    const chunks = await collect(
      await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } }),
    )
    expect(chunks[0]?.object).toBe('chat.completion.chunk')
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant')
    const deltas = chunks.flatMap((c) => c.choices.map((choice) => choice.delta.content ?? ''))
    expect(deltas.filter(Boolean).length).toBeGreaterThan(10)
    expect(deltas.join('')).toBe(whole.choices[0]?.message.content)

    const finish = chunks.flatMap((c) => c.choices.map((choice) => choice.finish_reason)).filter(Boolean)
    expect(finish).toEqual(['stop'])
    const last = chunks.at(-1)!
    expect(last.choices).toEqual([])
    expect(last.usage).toEqual(whole.usage)
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true)
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1)
  })

  it('sends no usage chunk unless asked', async () => {
    const chunks = await collect(
      await client.chat.completions.create({ model: 'costwise-demo-mini', messages: ask('hi'), stream: true }),
    )
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop')
    expect(chunks.some((c) => c.usage)).toBe(false)
  })
})

describe('max_tokens', () => {
  it('cuts the answer with finish_reason length', async () => {
    const params = { model: 'costwise-demo', messages: ask('Write a long essay about budgets.') }
    const full = (await client.chat.completions.create(params)).choices[0]?.message.content ?? ''
    for (const limit of [1, 12, 25]) {
      const cut = await client.chat.completions.create({ ...params, max_tokens: limit })
      expect(cut.choices[0]?.finish_reason).toBe('length')
      expect(cut.usage!.completion_tokens).toBeLessThanOrEqual(limit)
      expect(full.startsWith(cut.choices[0]?.message.content ?? '')).toBe(true)
    }
    const roomy = await client.chat.completions.create({ ...params, max_completion_tokens: 5000 })
    expect(roomy.choices[0]?.finish_reason).toBe('stop')
    expect(roomy.choices[0]?.message.content).toBe(full)
  })

  it('cuts streams the same way', async () => {
    const params = { model: 'costwise-demo-mini', messages: ask('Tell me everything.'), max_tokens: 15 }
    const whole = await client.chat.completions.create(params)
    const chunks = await collect(
      await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } }),
    )
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')
    expect(text).toBe(whole.choices[0]?.message.content)
    expect(chunks.flatMap((c) => c.choices.map((x) => x.finish_reason)).filter(Boolean)).toEqual(['length'])
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeLessThanOrEqual(15)
  })

  it('rejects a limit above the model maximum', async () => {
    const error = await rejection(
      client.chat.completions.create({ model: 'costwise-demo', messages: ask('x'), max_tokens: 100_000 }),
    )
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('max_tokens')
  })
})

describe('prompt caching', () => {
  const longSystem = Array.from({ length: 300 }, (_, i) => `Rule ${i}: keep answers short and cheap.`).join('\n')

  it('reports cached tokens, in multiples of 128, for a repeated long system prompt', async () => {
    const messages = (question: string): ChatCompletionMessageParam[] => [
      { role: 'system', content: longSystem },
      { role: 'user', content: question },
    ]
    const first = await client.chat.completions.create({
      model: 'costwise-demo',
      messages: messages('First question?'),
    })
    expect(first.usage!.prompt_tokens).toBeGreaterThan(1024)
    expect(first.usage!.prompt_tokens_details?.cached_tokens).toBe(0)

    const second = await client.chat.completions.create({ model: 'costwise-demo', messages: messages('Another one?') })
    const cached = second.usage!.prompt_tokens_details?.cached_tokens ?? 0
    expect(cached).toBeGreaterThanOrEqual(1024)
    expect(cached % 128).toBe(0)
    expect(cached).toBeLessThanOrEqual(second.usage!.prompt_tokens)

    // The cache is per model, and a short system prompt is never cached.
    const other = await client.chat.completions.create({
      model: 'costwise-demo-mini',
      messages: messages('Another one?'),
    })
    expect(other.usage!.prompt_tokens_details?.cached_tokens).toBe(0)
    await client.chat.completions.create({ model: 'costwise-demo', messages: ask('short') })
    const short = await client.chat.completions.create({ model: 'costwise-demo', messages: ask('short') })
    expect(short.usage!.prompt_tokens_details?.cached_tokens).toBe(0)
  })

  it('reports the same cached tokens when streaming', async () => {
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: longSystem },
      { role: 'user', content: 'q' },
    ]
    await client.chat.completions.create({ model: 'costwise-demo', messages })
    const chunks = await collect(
      await client.chat.completions.create({
        model: 'costwise-demo',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      }),
    )
    expect(chunks.at(-1)?.usage?.prompt_tokens_details?.cached_tokens).toBeGreaterThanOrEqual(1024)
  })
})

describe('reasoning model', () => {
  it('reports reasoning tokens inside completion_tokens', async () => {
    const response = await client.chat.completions.create({
      model: 'costwise-demo-reasoner',
      messages: ask('Think hard.'),
    })
    const usage = response.usage!
    const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0
    const o200k = await loadEncoding('o200k_base')
    expect(reasoning).toBeGreaterThan(0)
    expect(usage.completion_tokens).toBe(reasoning + o200k.count(response.choices[0]?.message.content ?? ''))
    expect(response.choices[0]?.finish_reason).toBe('stop')
  })

  it('spends max_completion_tokens on reasoning first', async () => {
    const response = await client.chat.completions.create({
      model: 'costwise-demo-reasoner',
      messages: ask('Think hard.'),
      max_completion_tokens: 20,
    })
    expect(response.choices[0]?.finish_reason).toBe('length')
    expect(response.usage!.completion_tokens).toBeLessThanOrEqual(20)
    expect(response.usage!.completion_tokens_details?.reasoning_tokens).toBe(20)
    expect(response.choices[0]?.message.content).toBe('')
  })

  it("rejects max_tokens, like OpenAI's reasoning models", async () => {
    const error = await rejection(
      client.chat.completions.create({ model: 'costwise-demo-reasoner', messages: ask('x'), max_tokens: 50 }),
    )
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('max_tokens')
  })
})

describe('failure injection', () => {
  it('[[fail:500]] is an InternalServerError', async () => {
    const error = await rejection(
      client.chat.completions.create({ model: 'costwise-demo', messages: ask('boom [[fail:500]]') }),
    )
    expect(error).toBeInstanceOf(OpenAI.InternalServerError)
    const apiError = error as InstanceType<typeof OpenAI.APIError>
    expect(apiError.status).toBe(500)
    expect(apiError.type).toBe('server_error')
    expect(apiError.requestID).toMatch(/^req_/)
  })

  it('[[fail:429]] is a RateLimitError with retry-after: 0', async () => {
    const error = await rejection(
      client.chat.completions.create({ model: 'costwise-demo', messages: ask('[[fail:429]]') }),
    )
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    const apiError = error as InstanceType<typeof OpenAI.RateLimitError>
    expect(apiError.headers?.get('retry-after')).toBe('0')
    expect(apiError.code).toBe('rate_limit_exceeded')
  })

  it('[[fail:400]] is a BadRequestError, also when streaming', async () => {
    const error = await rejection(
      client.chat.completions.create({ model: 'costwise-demo', messages: ask('[[fail:400]]') }),
    )
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
    const streamed = await rejection(
      client.chat.completions.create({ model: 'costwise-demo', messages: ask('[[fail:500]]'), stream: true }),
    )
    expect(streamed).toBeInstanceOf(OpenAI.InternalServerError)
  })

  it('[[drop-after:N]] without streaming drops the connection: APIConnectionError', async () => {
    const error = await rejection(
      client.chat.completions.create({ model: 'costwise-demo', messages: ask('[[drop-after:2]]') }),
    )
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError)
    expect(server.requests).toMatchObject([{ status: 0, dropped: true, model: 'costwise-demo' }])
  })

  it('[[drop-after:N]] while streaming sends N content chunks, then drops the socket', async () => {
    const stream = await client.chat.completions.create({
      model: 'costwise-demo',
      messages: ask('[[drop-after:3]]'),
      stream: true,
      stream_options: { include_usage: true },
    })
    const received: ChatCompletionChunk[] = []
    const error = await rejection(
      (async () => {
        for await (const chunk of stream) received.push(chunk)
      })(),
    )
    // The SDK does not wrap a body that breaks mid-stream: undici's "terminated" TypeError surfaces as is.
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toBe('terminated')
    expect(received.filter((c) => c.choices[0]?.delta.content).length).toBe(3)
    expect(received.some((c) => c.choices[0]?.finish_reason || c.usage)).toBe(false)
    expect(server.requests).toMatchObject([{ status: 200, dropped: true, stream: true }])
  })

  it('[[fail-once:KEY]] drops the first request only; an SDK retry then succeeds', async () => {
    const retrying = new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 1 })
    const response = await retrying.chat.completions.create({
      model: 'costwise-demo',
      messages: ask('[[fail-once:k1]]'),
    })
    expect(response.choices[0]?.finish_reason).toBe('stop')
    expect(server.stats.requests).toBe(2)
    expect(server.requests.map((r) => [r.status, r.dropped])).toEqual([
      [0, true],
      [200, false],
    ])
    // Without retries the first sighting of a new key fails, and the key then stays healed.
    const error = await rejection(
      client.chat.completions.create({ model: 'costwise-demo', messages: ask('[[fail-once:k2]]') }),
    )
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError)
    await expect(
      client.chat.completions.create({ model: 'costwise-demo', messages: ask('[[fail-once:k2]]') }),
    ).resolves.toBeTruthy()
    await expect(
      client.chat.completions.create({ model: 'costwise-demo', messages: ask('[[fail-once:k1]]') }),
    ).resolves.toBeTruthy()
  })
})

describe('request validation', () => {
  it('a bad body is a 400 naming the param', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ model: 'costwise-demo', messages: [{ role: 'user', content: 'x' }], temperature: 5 }, 'temperature'],
      [{ model: 'costwise-demo' }, 'messages'],
      [{ messages: [{ role: 'user', content: 'x' }] }, 'model'],
      [{ model: 'costwise-demo', messages: [{ role: 'user', content: 42 }] }, 'messages[0].content'],
      [
        { model: 'costwise-demo', messages: [{ role: 'user', content: [{ type: 'image_url' }] }] },
        'messages[0].content[0].type',
      ],
      [{ model: 'costwise-demo', messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
      [{ model: 'costwise-demo', messages: [{ role: 'user', content: 'x' }], max_tokens: 0 }, 'max_tokens'],
      [{ model: 'costwise-demo', messages: [{ role: 'user', content: 'x' }], stream: 'yes' }, 'stream'],
    ]
    for (const [body, param] of cases) {
      const error = await rejection(client.chat.completions.create(body as never))
      expect(error, param).toBeInstanceOf(OpenAI.BadRequestError)
      const apiError = error as InstanceType<typeof OpenAI.BadRequestError>
      expect(apiError.param).toBe(param)
      expect(apiError.type).toBe('invalid_request_error')
      expect(apiError.message).toContain(`'${param}'`)
    }
  })

  it('invalid JSON is a 400 in OpenAI shape', async () => {
    const res = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: '{nope' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', param: null, code: null } })
  })

  it('a prompt too large to count is a 400 context_length_exceeded', async () => {
    const error = await rejection(
      client.chat.completions.create({ model: 'costwise-demo', messages: ask('word '.repeat(500_000)) }),
    )
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
    expect(error).toMatchObject({ param: 'messages', code: 'context_length_exceeded' })
  })

  it('an unknown model is a 404 model_not_found', async () => {
    const error = await rejection(client.chat.completions.create({ model: 'gpt-9', messages: ask('x') }))
    expect(error).toBeInstanceOf(OpenAI.NotFoundError)
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found')
  })

  it('an unknown route is a 404', async () => {
    const res = await fetch(`${server.url}/embeddings`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: { message: 'Invalid URL (POST /v1/embeddings)' } })
  })
})

describe('request log', () => {
  it('counts every HTTP request and completions per model', async () => {
    await client.chat.completions.create({ model: 'costwise-demo', messages: ask('a') })
    await client.chat.completions.create({ model: 'costwise-demo-mini', messages: ask('b'), stream: true })
    await client.chat.completions.create({ model: 'costwise-demo', messages: ask('[[fail:500]]') }).catch(() => {})
    expect(server.stats).toEqual({ requests: 3, byModel: { 'costwise-demo': 2, 'costwise-demo-mini': 1 } })
    expect(server.requests.map((r) => [r.model, r.stream, r.status])).toEqual([
      ['costwise-demo', false, 200],
      ['costwise-demo-mini', true, 200],
      ['costwise-demo', false, 500],
    ])
  })
})

describe('api key', () => {
  it('requires the bearer token when started with one', async () => {
    const guarded = await startLocalLlm({ apiKey: 'sk-local-123', latencyMs: { firstToken: 0, perToken: 0 } })
    try {
      const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: guarded.url, maxRetries: 0 })
      const error = await rejection(wrong.chat.completions.create({ model: 'costwise-demo', messages: ask('x') }))
      expect(error).toBeInstanceOf(OpenAI.AuthenticationError)
      expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key')
      const right = new OpenAI({ apiKey: 'sk-local-123', baseURL: guarded.url, maxRetries: 0 })
      await expect(right.chat.completions.create({ model: 'costwise-demo', messages: ask('x') })).resolves.toBeTruthy()
    } finally {
      await guarded.stop()
    }
  })
})
