import { expect, type Page } from '@playwright/test'
import { randomUUID } from 'node:crypto'

/** The seeded demo account (`pnpm cli start` creates it with ~90 days of usage in team "demo"). */
export const DEMO_USER = { email: 'demo@costwise.dev', password: 'demo-password' } as const

/**
 * An email no other test (or earlier run) uses. The e2e database is reset on every start
 * (COSTWISE_RESET_DATA=1), so accounts made with it are removed along with it.
 */
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

/** Creates an account with its own team through the sign-up form. */
export async function signUp(
  page: Page,
  input: { name: string; email: string; password: string; teamName: string },
): Promise<void> {
  await page.goto('/signup')
  await page.getByLabel('Your name').fill(input.name)
  await page.getByLabel('Work email').fill(input.email)
  await page.getByLabel('Password').fill(input.password)
  await page.getByLabel('Team name').fill(input.teamName)
  await page.getByRole('button', { name: 'Create account' }).click()
}
