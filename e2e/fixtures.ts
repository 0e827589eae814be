import { test as base, expect, type Page } from '@playwright/test'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { databaseUrl } from './env'

/** The seeded demo account (`pnpm cli start` creates it with ~90 days of usage in team "demo"). */
export const DEMO_USER = { email: 'demo@costwise.dev', password: 'demo-password' } as const

/** An email no other test (or earlier run) uses. */
export function uniqueEmail(prefix = 'e2e'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}@example.test`
}

/** Logs in through the form and waits until the app has navigated away from /login. */
export async function login(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
  await expect(page).not.toHaveURL(/\/login(\?|$)/)
}

export interface NewAccount {
  name: string
  email: string
  password: string
  teamName: string
}

/**
 * Creates an account with its own team through the sign-up form, then logs in with it: sign-up answers
 * "your account is ready, log in" (the same whether or not the email had an account), so it never signs in.
 */
export async function signUp(page: Page, input: NewAccount): Promise<void> {
  await page.goto('/signup')
  await page.getByLabel('Your name').fill(input.name)
  await page.getByLabel('Work email').fill(input.email)
  await page.getByLabel('Password').fill(input.password)
  await page.getByLabel('Team name').fill(input.teamName)
  await page.getByRole('button', { name: 'Create account' }).click()
  await expect(page.getByTestId('signed-up')).toBeVisible()
  await login(page, input.email, input.password)
}

/** Waits until Remix has hydrated, so clicks are handled by the app rather than as plain links and forms. */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    Boolean(
      (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized,
    ),
  )
}

/**
 * Removes what a test's accounts made: the teams they own (their usage, budgets, keys, prompts and reports go
 * with them) and the accounts. Tests never rely on a wiped database.
 */
export async function removeAccounts(db: pg.Pool, emails: string[]): Promise<void> {
  if (emails.length === 0) return
  await db.query(
    `delete from teams where id in (
       select m.team_id from team_members m join users u on u.id = m.user_id
       where u.email = any($1) and m.role = 'owner')`,
    [emails],
  )
  await db.query('delete from users where email = any($1)', [emails])
}

/** Removes reports a test saved in the shared demo team, with their runs and the mail they sent. */
async function removeReports(db: pg.Pool, names: string[], addresses: string[] = []): Promise<void> {
  await db.query(
    'delete from report_runs where schedule_id in (select id from report_schedules where name = any($1))',
    [names],
  )
  await db.query('delete from report_schedules where name = any($1)', [names])
  if (addresses.length) await db.query('delete from email_messages where to_address = any($1)', [addresses])
}

interface Fixtures {
  /** Signs up a fresh account with its own team (removed after the test) and lands on the dashboard. */
  newAccount: (prefix: string, overrides?: Partial<NewAccount>) => Promise<NewAccount>
  /** Names a report this test saves in the demo team, and the addresses it mails: all removed after the test. */
  ownReports: (name: string, ...addresses: string[]) => void
  /**
   * Puts the signed-in user's active team on a plan. In the product only the operator does this
   * (`pnpm cli team set-plan`, tested in apps/cli); here it is test setup, written straight to the database.
   */
  setTeamPlan: (plan: 'free' | 'pro' | 'enterprise') => Promise<void>
  /**
   * Keeps an unsent email in the signed-in user's active team's outbox, as the worker does with no SMTP server
   * (removed after the test), so a page that lists mail is checked with mail in it whatever ran before.
   */
  mailInOutbox: (message: { to: string; subject: string; text: string }) => Promise<void>
}

export const test = base.extend<Fixtures, { db: pg.Pool }>({
  db: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from an object pattern; this one has none
    async ({}, use) => {
      const db = new pg.Pool({ connectionString: databaseUrl, max: 2 })
      db.on('error', () => {}) // an idle client dropped by the server: the next query reconnects
      await use(db)
      await db.end()
    },
    { scope: 'worker' },
  ],
  newAccount: async ({ page, db }, use) => {
    const made: string[] = []
    await use(async (prefix, overrides = {}) => {
      const account: NewAccount = {
        name: 'E2E Tester',
        email: uniqueEmail(prefix),
        password: 'a-long-enough-password',
        teamName: `${prefix} team`,
        ...overrides,
      }
      made.push(account.email)
      await signUp(page, account)
      await expect(page).toHaveURL(/\/dashboard\/usage$/)
      return account
    })
    await removeAccounts(db, made)
  },
  setTeamPlan: async ({ page, db }, use) => {
    await use(async (plan) => {
      const me = (await (await page.request.get('/api/trpc/me.get')).json()) as {
        result: { data: { activeTeam: { slug: string } } }
      }
      await db.query('update teams set plan = $1, plan_changed_at = now() where slug = $2', [
        plan,
        me.result.data.activeTeam.slug,
      ])
    })
  },
  mailInOutbox: async ({ page, db }, use) => {
    const ids: string[] = []
    await use(async ({ to, subject, text }) => {
      const me = (await (await page.request.get('/api/trpc/me.get')).json()) as {
        result: { data: { activeTeam: { slug: string } } }
      }
      const { rows } = await db.query<{ id: string }>(
        `insert into email_messages (team_id, kind, to_address, subject, text_body, attachments, status)
         select id, 'other', $2, $3, $4, '[]'::jsonb, 'outbox' from teams where slug = $1 returning id`,
        [me.result.data.activeTeam.slug, to, subject, text],
      )
      ids.push(...rows.map((r) => r.id))
    })
    if (ids.length) await db.query('delete from email_messages where id = any($1)', [ids])
  },
  ownReports: async ({ db }, use) => {
    const names: string[] = []
    const addresses: string[] = []
    await use((name, ...to) => {
      names.push(name)
      addresses.push(...to)
    })
    if (names.length) await removeReports(db, names, addresses)
  },
})

export { expect }
