import { describe, expect, it } from 'vitest'
import { AppError } from './errors'
import { parseCostExport, parseCsv, reconcile } from './reconciliation'

/** A synthetic OpenAI costs API page (group_by=line_item), shaped like GET /v1/organization/costs. */
function openAiPage(days: { start: string; items: [string | null, number][] }[]) {
  return {
    object: 'page',
    data: days.map((d) => ({
      object: 'bucket',
      start_time: Date.parse(`${d.start}T00:00:00Z`) / 1000,
      end_time: Date.parse(`${d.start}T00:00:00Z`) / 1000 + 86_400,
      results: d.items.map(([lineItem, value]) => ({
        object: 'organization.costs.result',
        amount: { value, currency: 'usd' },
        line_item: lineItem,
        project_id: null,
      })),
    })),
    has_more: false,
    next_page: null,
  }
}

describe('parseCostExport', () => {
  it('reads OpenAI costs JSON per UTC day and model, exactly (floats rounded once at the nano-dollar)', () => {
    const page = openAiPage([
      {
        start: '2026-11-03',
        items: [
          ['gpt-4o-2024-11-20, input', 0.1],
          ['gpt-4o-2024-11-20, output', 0.2],
          ['gpt-4o-mini-2024-07-18, input', 0.30000000000000004],
        ],
      },
      { start: '2026-11-04', items: [['o3-2025-04-16, cached input', 1.5]] },
    ])
    const parsed = parseCostExport(JSON.stringify(page))
    expect(parsed).toMatchObject({ provider: 'openai', format: 'openai-costs-json', totalNano: 2_100_000_000n })
    expect(parsed.lines).toEqual([
      { day: '2026-11-03', model: 'gpt-4o', costNano: 300_000_000n },
      { day: '2026-11-03', model: 'gpt-4o-mini', costNano: 300_000_000n },
      { day: '2026-11-04', model: 'o3', costNano: 1_500_000_000n },
    ])
    // several pages, and a page without line items (day totals only)
    const two = parseCostExport(JSON.stringify([page, openAiPage([{ start: '2026-11-05', items: [[null, 0.06]] }])]))
    expect(two.lines.at(-1)).toEqual({ day: '2026-11-05', model: '', costNano: 60_000_000n })
  })

  it('reads Anthropic cost report JSON (cents as decimal strings) and Console CSV', () => {
    const json = {
      data: [
        {
          starting_at: '2026-11-03T00:00:00Z',
          ending_at: '2026-11-04T00:00:00Z',
          results: [
            {
              currency: 'USD',
              amount: '123.45',
              model: 'claude-sonnet-4-5-20250929',
              cost_type: 'tokens',
              token_type: 'output_tokens',
            },
            {
              currency: 'USD',
              amount: '0.0001',
              model: 'claude-sonnet-4-5-20250929',
              cost_type: 'tokens',
              token_type: 'uncached_input_tokens',
            },
          ],
        },
      ],
      has_more: false,
    }
    expect(parseCostExport(JSON.stringify(json)).lines).toEqual([
      { day: '2026-11-03', model: 'claude-sonnet-4-5', costNano: 1_234_501_000n },
    ])
    const csv =
      'usage_date_utc,model,workspace,token_type,cost_usd\n2026-11-03,claude-haiku-4-5-20251001,Default,output,"1.25"\n2026-11-03,claude-haiku-4-5-20251001,Default,input,0.000000001\n2026-11-04,,Default,web_search,$0.01\n'
    const parsed = parseCostExport(csv)
    expect(parsed).toMatchObject({ provider: 'anthropic', format: 'anthropic-cost-csv' })
    expect(parsed.lines).toEqual([
      { day: '2026-11-03', model: 'claude-haiku-4-5', costNano: 1_250_000_001n },
      { day: '2026-11-04', model: '', costNano: 10_000_000n },
    ])
  })

  it('says what is wrong with a file it cannot read', () => {
    expect(() => parseCostExport('')).toThrow(AppError)
    expect(() => parseCostExport('date,amount\n')).toThrow(/cost column/)
    expect(() => parseCostExport('date,cost_usd\n2026-11-01,abc\n')).toThrow(/line 2/)
    expect(() =>
      parseCostExport(
        JSON.stringify({ data: [{ start_time: 1, results: [{ amount: { value: 1, currency: 'eur' } }] }] }),
      ),
    ).toThrow(/USD/)
    expect(() => parseCostExport('a,b', 'openai')).toThrow(/JSON/)
  })

  it('parses quoted CSV fields', () => {
    expect(parseCsv('a,"b, c","d ""e"""\r\n1,2,3')).toEqual([
      ['a', 'b, c', 'd "e"'],
      ['1', '2', '3'],
    ])
  })
})

describe('reconcile', () => {
  const exported = [
    { day: '2026-11-03', model: 'gpt-4o', costNano: 300_000_000n },
    { day: '2026-11-03', model: 'gpt-4o-mini', costNano: 123_456_789n },
    { day: '2026-11-04', model: 'o3', costNano: 1_500_000_000n },
  ]

  it('100 % capture when everything was tracked', () => {
    const result = reconcile(
      exported,
      exported.map((l) => ({ ...l })),
    )
    expect(result).toMatchObject({
      missingNano: 0n,
      overNano: 0n,
      captureRatePct: 100,
      providerTotalNano: 1_923_456_789n,
      trackedTotalNano: 1_923_456_789n,
    })
    expect(result.rows.every((r) => r.differenceNano === 0n)).toBe(true)
  })

  it('the exact missing amount per day and model when usage bypassed Costwise', () => {
    const tracked = [
      { day: '2026-11-03', model: 'gpt-4o', costNano: 300_000_000n },
      { day: '2026-11-03', model: 'gpt-4o-mini', costNano: 23_456_789n },
      { day: '2026-11-05', model: 'gpt-4o', costNano: 5n, unpricedRuns: 2 },
    ]
    const result = reconcile(exported, tracked)
    expect(result.missingNano).toBe(1_600_000_000n) // 0.1 of gpt-4o-mini + all of o3
    expect(result.overNano).toBe(5n)
    expect(result.rows.find((r) => r.model === 'gpt-4o-mini')?.differenceNano).toBe(100_000_000n)
    expect(result.rows.find((r) => r.model === 'o3')).toMatchObject({ providerNano: 1_500_000_000n, trackedNano: 0n })
    expect(result.captureRatePct).toBe(16.81) // 323,456,789 / 1,923,456,789, rounded down
  })

  it('compares day totals on days the export does not split by model', () => {
    const result = reconcile(
      [{ day: '2026-11-05', model: '', costNano: 100n }],
      [
        { day: '2026-11-05', model: 'gpt-4o', costNano: 60n },
        { day: '2026-11-05', model: 'o3', costNano: 40n },
      ],
    )
    expect(result.rows).toEqual([
      { day: '2026-11-05', model: '', providerNano: 100n, trackedNano: 100n, differenceNano: 0n, unpricedRuns: 0 },
    ])
    expect(reconcile([], []).captureRatePct).toBeNull()
  })
})
