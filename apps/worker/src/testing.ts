import { budgets, teams, users, type BudgetMode, type Db, type Role } from '@costwise/db'
import { SMTPServer } from 'smtp-server'

export interface Received {
  to: string[]
  body: string
}

export async function startSmtp(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          body: Buffer.concat(chunks).toString('utf8'),
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as { port: number }).port
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise((r) => server.close(() => r())) }
}

// A generous bound: the state is waited for, not timed (CI must pass on a busy machine).
export async function until<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value) return value
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 100))
  }
}

/**
 * A team with the given people (email and role) and a $1 all-time team budget with these thresholds, for tests of
 * alerts; `scope` records usage as the team (gpt-4o-mini input is $0.15 per 1M tokens: 4M tokens cross 50 %).
 */
export async function teamWithDollarBudget(
  db: Db,
  slug: string,
  people: readonly (readonly [email: string, role: Role])[],
  budget: { thresholds: number[]; mode?: BudgetMode },
) {
  const team = await teams.insertTeam(db, { slug, name: slug[0]!.toUpperCase() + slug.slice(1) })
  for (const [mail, role] of people) {
    const u = await users.insertUser(db, { email: mail, name: mail, passwordHash: 'x' })
    await teams.upsertMember(db, team.id, u.id, role)
  }
  await budgets.insertBudget(
    db,
    team.id,
    {
      name: team.name,
      scope: 'team',
      scopeUserId: null,
      scopeApiKeyId: null,
      scopePromptId: null,
      period: 'total',
      timeZone: null,
      limitUsd: '1',
      mode: budget.mode ?? 'soft',
      thresholds: budget.thresholds,
      active: true,
    },
    { start: new Date(0), spentUsd: '0' },
  )
  return { team, scope: { ...team, role: 'admin' as const, userId: null, apiKeyId: null } }
}
