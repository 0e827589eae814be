/**
 * Fast synthetic usage for one team, generated inside PostgreSQL (insert … select … from generate_series), in
 * time order so the indexes append. Deterministic (hash of the row number, no random()), spread evenly over
 * [start, end), with a realistic shape rather than every combination:
 *   - 20 prompts (5 % of calls have none); a prompt mostly runs on "its" model (98 %), else on another one;
 *   - 10 users; 90 % of calls come through the API key (feature 'api'), 10 % from the Lab (no key);
 *   - 2 % errors; input 200–4,199 tokens, output 20–1,219, a tenth of calls with cached input;
 *   - cost priced from the catalogue's per-million rates, exact to the nano-dollar (numeric(20,9)).
 */
import { calculateCost, resolveModel } from '@costwise/core'
import type { BenchDb } from './pg'
import { MODELS, type TeamFixture } from './fixtures'

function usdPerMTok(model: string, kind: 'in' | 'out'): string {
  const usage =
    kind === 'in' ? { inputTokens: 1_000_000, outputTokens: 0 } : { inputTokens: 0, outputTokens: 1_000_000 }
  const nano = calculateCost(model, usage).totalNano
  return (Number(nano) / 1e9).toFixed(9)
}

export async function seedUsage(
  pg: BenchDb,
  f: TeamFixture,
  input: { rows: number; start: Date; end: Date; offset: number; workers?: number },
): Promise<void> {
  const models = [...MODELS]
  const providers = models.map((m) => resolveModel(m)?.provider ?? 'unknown')
  const pin = models.map((m) => usdPerMTok(m, 'in'))
  const pout = models.map((m) => usdPerMTok(m, 'out'))
  const workers = input.workers ?? 2
  const span = input.end.getTime() - input.start.getTime()
  const sqlText = `
    insert into token_usage_logs (
      id, team_id, occurred_at, recorded_at, user_id, api_key_id, prompt_id, provider, model, resolved_model,
      price_version, priced, feature, status, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens,
      cost_usd, latency_ms
    )
    select gen_random_uuid(), $1::uuid, at, at, ($2::uuid[])[1 + ui], case when feat = 'api' then $3::uuid end,
           case when pi = 0 then null else ($4::uuid[])[pi] end, ($6::text[])[mi], ($5::text[])[mi], ($5::text[])[mi],
           'bench', true, feat, case when h5 % 50 = 0 then 'error' else 'ok' end, inp, outp,
           case when h6 % 10 = 0 then inp / 2 else 0 end, 0,
           round((inp * ($7::numeric[])[mi] + outp * ($8::numeric[])[mi]) / 1000000, 9), 200 + h6 % 4000
    from (
      select at, ui, pi, feat, h5, h6, inp, outp,
             case when h3 % 50 = 0 then 1 + h4 % 10 else 1 + (greatest(pi, 1) - 1) % 10 end as mi
      from (
        select $9::timestamptz + make_interval(secs => ((g - $14)::float8 / $10) * $11) as at,
               abs(hashint8(g * 8 + 1)) % 10 as ui,
               abs(hashint8(g * 8 + 2)) % 21 as pi,
               abs(hashint8(g * 8 + 3)) as h3,
               abs(hashint8(g * 8 + 4)) as h4,
               abs(hashint8(g * 8 + 5)) as h5,
               abs(hashint8(g * 8 + 6)) as h6,
               case when abs(hashint8(g * 8 + 7)) % 10 = 0 then 'lab' else 'api' end as feat,
               200 + abs(hashint8(g * 8 + 8)) % 4000 as inp,
               20 + abs(hashint8(g * 8 + 9)) % 1200 as outp
        from generate_series($12::bigint, $13::bigint) g
      ) a
    ) b`
  // Row g sits at start + (g - offset) / rows of the span; each worker takes a contiguous slice of time.
  const per = Math.ceil(input.rows / workers)
  await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const lo = w * per
      const hi = Math.min(input.rows, lo + per) - 1
      if (hi < lo) return Promise.resolve()
      return pg.query(sqlText, [
        f.scope.id,
        f.userIds,
        f.keyId,
        f.promptIds,
        models,
        providers,
        pin,
        pout,
        input.start,
        input.rows,
        span / 1000,
        lo + input.offset,
        hi + input.offset,
        input.offset,
      ])
    }),
  )
}
