import type { Page } from '@playwright/test'
import { DEMO_USER, expect, login, removeAccounts, test, uniqueEmail } from './fixtures'

// The protections a browser sees: the Content-Security-Policy holds on every page (no violations), security
// headers, cross-site changes refused with 403, /metrics kept local, and sign-up that tells nothing.

const PAGES = [
  '/dashboard/usage',
  '/dashboard/budget-settings',
  '/dashboard/alerts',
  '/dashboard/reports',
  '/lab',
  '/settings',
  '/settings/audit',
]

function watchCsp(page: Page): string[] {
  const violations: string[] = []
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text())
  })
  return violations
}

// One test per page, so each has the whole test timeout to itself on a busy machine.
for (const path of PAGES) {
  test(`${path} works under the Content-Security-Policy, with the security headers`, async ({ page }) => {
    const violations = watchCsp(page)
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(
          `Content Security Policy violation on ${location.pathname}: ${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
        ),
      )
    })
    await login(page, DEMO_USER.email, DEMO_USER.password)
    const response = await page.goto(path)
    expect(response?.status(), path).toBe(200)
    const headers = response!.headers()
    expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(headers['x-content-type-options']).toBe('nosniff')
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin')
    await expect(page.locator('h1').first()).toBeVisible()
    // Hydrated under the policy: client-side navigation works.
    await page.getByRole('link', { name: 'Usage' }).first().click()
    await expect(page).toHaveURL(/\/dashboard\/usage$/)
    await expect(page.getByTestId('usage-chart')).toBeVisible()
    expect(violations).toEqual([])
  })
}

test('changes from another site are refused with 403: page actions, /logout, Lab runs and tRPC mutations', async ({
  page,
}) => {
  await login(page, DEMO_USER.email, DEMO_USER.password)
  const evil = { origin: 'https://evil.example' }
  const attempts = [
    page.request.post('/logout', { headers: evil, form: {} }),
    page.request.post('/settings', {
      headers: evil,
      form: { intent: 'create-key', name: 'stolen', scopes: 'usage:read' },
    }),
    page.request.post('/api/lab/run', {
      headers: { ...evil, 'content-type': 'text/plain' },
      data: JSON.stringify({ model: 'costwise-demo', user: 'spend', maxOutputTokens: 10 }),
    }),
    page.request.post('/api/trpc/apiKeys.create', { headers: evil, data: { name: 'stolen' } }),
  ]
  for (const response of await Promise.all(attempts)) {
    expect(response.status(), response.url()).toBe(403)
    expect(await response.text()).toContain('Refused')
  }
  // Still signed in (the cross-site /logout did nothing), and no key was made.
  await page.goto('/settings')
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible()
  await expect(page.getByRole('cell', { name: 'stolen', exact: true })).toHaveCount(0)
})

test('an API key created in Settings shows its scopes and leaves a row in the audit log', async ({ page }) => {
  await login(page, DEMO_USER.email, DEMO_USER.password)
  await page.goto('/settings')
  const name = `audited-${Date.now().toString(36)}`
  await page.getByLabel('Name', { exact: true }).fill(name)
  await page.getByLabel('budgets:write').check()
  await page.getByLabel('Expires after (days)').fill('30')
  await page.getByRole('button', { name: 'Create key' }).click()
  await expect(page.getByTestId('new-api-key')).toHaveText(/^cw_/)
  const row = page.getByRole('row').filter({ hasText: name })
  await expect(row.getByTestId('key-scopes')).toHaveText('usage:write, usage:read, budgets:read, budgets:write')
  await page.getByRole('link', { name: 'Audit log' }).click()
  await page.getByLabel('Action').selectOption('api_key.created')
  await page.getByRole('button', { name: 'Filter' }).click()
  await expect(page.getByTestId('audit-row').filter({ hasText: name })).toHaveCount(1)
  await expect(page.getByTestId('audit-row').filter({ hasText: name })).toContainText(DEMO_USER.email)
  await page.goto('/settings')
  await page.getByRole('button', { name: `Revoke key ${name}` }).click()
  await expect(page.getByRole('row').filter({ hasText: name })).toContainText('Revoked')
})

test('/metrics answers this machine, but not a request relayed by a proxy', async ({ request }) => {
  expect((await request.get('/metrics')).status()).toBe(200)
  expect((await request.get('/metrics', { headers: { 'x-forwarded-for': '198.51.100.7' } })).status()).toBe(403)
})

test('sign-up says the same for a new email and for one that has an account', async ({ page, db }) => {
  const answer = async (email: string) => {
    await page.goto('/signup')
    await page.getByLabel('Your name').fill('Someone')
    await page.getByLabel('Work email').fill(email)
    await page.getByLabel('Password').fill('a-long-enough-password')
    await page.getByLabel('Team name').fill('Some team')
    await page.getByRole('button', { name: 'Create account' }).click()
    await expect(page.getByTestId('signed-up')).toBeVisible()
    return { url: page.url(), text: await page.getByTestId('signed-up').textContent() }
  }
  const fresh = uniqueEmail('signup-same')
  try {
    expect(await answer(DEMO_USER.email)).toEqual(await answer(fresh))
    // The existing account's password is untouched, and the new account works.
    await login(page, DEMO_USER.email, DEMO_USER.password)
    await page.getByRole('button', { name: 'Log out' }).first().click()
    await login(page, fresh, 'a-long-enough-password')
  } finally {
    await removeAccounts(db, [fresh])
  }
})
