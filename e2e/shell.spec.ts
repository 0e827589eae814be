import { DEMO_USER, expect, login, test } from './fixtures'

test.describe('web shell', () => {
  test('the demo user lands on usage with a chart of daily cost', async ({ page }) => {
    await login(page, DEMO_USER.email, DEMO_USER.password)
    await expect(page).toHaveURL(/\/dashboard\/usage$/)
    await expect(page.getByRole('heading', { level: 1, name: 'Usage' })).toBeVisible()

    // The navigation marks the current section.
    const nav = page.getByRole('navigation', { name: 'Main' })
    await expect(nav.getByRole('link', { name: 'Usage' })).toHaveAttribute('aria-current', 'page')
    await expect(page.getByTestId('user-email').first()).toHaveText(DEMO_USER.email)

    await expect(page.getByTestId('summary-cost')).toContainText(/\$\d[\d,]*\.\d{2}/)

    const chart = page.getByTestId('usage-chart')
    await expect(chart.locator('svg').first()).toBeVisible()
    await expect(chart.locator('svg path').first()).toBeAttached()
    expect(await chart.locator('svg path').count()).toBeGreaterThan(0)
  })

  test('a new account lands on the dashboard with the first-run guide', async ({ page, newAccount }) => {
    await newAccount('signup', { name: 'Erin Example', teamName: 'Erin’s team' })
    await expect(page.getByTestId('first-run-guide')).toContainText('Send your first event')
    await expect(page.getByTestId('first-event')).toHaveAttribute('data-state', 'waiting')
    await expect(page.getByTestId('active-team').first()).toHaveText('Erin’s team')
    await expect(page.getByTestId('usage-chart')).toHaveCount(0)
  })

  test('/healthz reports the database up', async ({ request }) => {
    const response = await request.get('/healthz')
    expect(response.status()).toBe(200)
    expect(await response.json()).toEqual({ ok: true, db: 'up' })
  })

  test('an unknown address shows the friendly 404', async ({ page }) => {
    const response = await page.goto('/no/such/page')
    expect(response?.status()).toBe(404)
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible()
    await page.getByRole('link', { name: 'Go to the dashboard' }).click()
    await expect(page).toHaveURL(/\/login/)
  })

  test('a wrong password shows an inline error and keeps the email', async ({ page }) => {
    await page.goto('/login')
    await page.getByLabel('Email').fill(DEMO_USER.email)
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Log in' }).click()
    await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect.')
    await expect(page).toHaveURL(/\/login/)
    await expect(page.getByLabel('Email')).toHaveValue(DEMO_USER.email)
  })

  test('signed-out visitors are sent to log in and brought back afterwards', async ({ page }) => {
    await page.goto('/dashboard/alerts')
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fdashboard%2Falerts$/)
    await page.getByLabel('Email').fill(DEMO_USER.email)
    await page.getByLabel('Password').fill(DEMO_USER.password)
    await page.getByRole('button', { name: 'Log in' }).click()
    await expect(page).toHaveURL(/\/dashboard\/alerts$/)
    await expect(page.getByRole('heading', { level: 1, name: 'Alerts' })).toBeVisible()
  })

  test('the menu folds away on a phone-sized screen and logging out returns to login', async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 })
    await login(page, DEMO_USER.email, DEMO_USER.password)
    const toggle = page.getByRole('button', { name: 'Open menu' })
    await expect(toggle).toHaveAttribute('aria-expanded', 'false')
    await toggle.click()
    await expect(page.getByRole('button', { name: 'Close menu' })).toHaveAttribute('aria-expanded', 'true')
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Budgets' }).click()
    await expect(page).toHaveURL(/\/dashboard\/budget-settings$/)
    await expect(page.getByRole('button', { name: 'Open menu' })).toHaveAttribute('aria-expanded', 'false')

    await page.getByRole('button', { name: 'Open menu' }).click()
    await page.getByRole('button', { name: 'Log out' }).click()
    await expect(page).toHaveURL(/\/login$/)
    await page.goto('/dashboard/usage')
    await expect(page).toHaveURL(/\/login/)
  })
})
