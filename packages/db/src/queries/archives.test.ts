import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDb, type TestDb } from '../test-db'
import * as archives from './archives'
import * as teams from './teams'

describe('month archives', () => {
  let t: TestDb
  let teamId: string
  const month = '2026-10-01'

  beforeAll(async () => {
    t = await createTestDb()
    teamId = (await teams.insertTeam(t.db, { slug: 'acme', name: 'Acme' })).id
    await t.db
      .insertInto('token_usage_logs')
      .values(
        [1, 2, 3].map((n) => ({
          team_id: teamId,
          occurred_at: new Date(`2026-10-0${n}T10:00:00Z`),
          provider: 'openai',
          model: 'gpt-4o',
          priced: true,
          input_tokens: 100 * n,
          output_tokens: 20,
          audio_input_tokens: n,
          cost_usd: `0.00000${n}000`,
        })),
      )
      .execute()
  })
  afterAll(async () => t.destroy())

  it('restores an archive written before later columns existed: those columns take their defaults', async () => {
    const csv = await text(await archives.copyMonthOut(t.db, month))
    const [header, ...lines] = csv.trimEnd().split('\n')
    const columns = header!.split(',')
    const dropped = columns.indexOf('audio_input_tokens')
    expect(dropped).toBeGreaterThan(-1)
    // What an archive made before the column was added looks like (no quoted commas in these rows).
    const older =
      [header!, ...lines]
        .map((line) =>
          line
            .split(',')
            .filter((_, i) => i !== dropped)
            .join(','),
        )
        .join('\n') + '\n'

    await t.db.deleteFrom('token_usage_logs').where('team_id', '=', teamId).execute()
    await archives.copyMonthIn(t.db, month, Readable.from([Buffer.from(older)]))
    const rows = await t.db
      .selectFrom('token_usage_logs')
      .select(['input_tokens', 'audio_input_tokens', 'cost_usd'])
      .where('team_id', '=', teamId)
      .orderBy('input_tokens')
      .execute()
    expect(rows).toEqual([
      { input_tokens: 100, audio_input_tokens: 0, cost_usd: '0.000001000' },
      { input_tokens: 200, audio_input_tokens: 0, cost_usd: '0.000002000' },
      { input_tokens: 300, audio_input_tokens: 0, cost_usd: '0.000003000' },
    ])
  })

  it('refuses a file without a header of column names', async () => {
    await expect(archives.copyMonthIn(t.db, month, Readable.from([Buffer.from('1,2,3\n')]))).rejects.toThrow(
      /no CSV header/,
    )
  })
})
