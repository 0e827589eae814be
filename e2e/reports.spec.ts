import { DEMO_USER, expect, login, test } from './fixtures'

// The demo user is on the Enterprise plan; the worker runs, and with no SMTP server mail stays in the outbox.
test.describe('reports', () => {
  test('build, preview, save and send a weekly PDF report, then download it and find it in the outbox', async ({
    page,
    ownReports,
  }) => {
    test.setTimeout(180_000)
    const suffix = Date.now().toString(36)
    const name = `E2E weekly ${suffix}`
    // Addresses of this run only, so its messages can be told apart in the outbox.
    const finance = `finance+${suffix}@example.com`
    const cto = `cto+${suffix}@example.com`
    ownReports(name, finance, cto)
    await login(page, DEMO_USER.email, DEMO_USER.password)
    await page.goto('/dashboard/reports')
    await expect(page.getByRole('heading', { level: 1, name: 'Reports' })).toBeVisible()
    await expect(page.getByTestId('enterprise-notice')).toHaveCount(0)

    // Build: metrics, grouping, period.
    const builder = page.locator('#report-builder')
    await builder.getByLabel('Errors', { exact: true }).check()
    await builder.getByLabel('Tokens', { exact: true }).uncheck()
    await builder.getByLabel('Group by').selectOption('model')
    await builder.getByLabel('Rolling period').selectOption('last-30-days')

    // Preview before saving.
    await builder.getByRole('button', { name: 'Preview' }).click()
    const preview = page.getByTestId('report-preview')
    await expect(preview).toBeVisible()
    await expect(preview.getByTestId('preview-cost')).toContainText(/\$\d/)
    await expect(preview.getByTestId('preview-errors')).toBeVisible()
    await expect(preview.getByTestId('preview-tokens')).toHaveCount(0)
    await expect(preview.getByTestId('preview-groups').locator('tbody tr').first()).toBeVisible()

    // Recipients are checked inline.
    const recipients = builder.getByLabel('Recipients')
    await recipients.fill(`${finance}, not-an-email`)
    await recipients.blur()
    await expect(builder.locator('[data-field-error$="recipients"]')).toHaveText(
      '“not-an-email” is not an email address.',
    )
    await recipients.fill(`${finance}\n${cto}`)
    await recipients.blur()
    await expect(builder.locator('[data-field-error$="recipients"]')).toHaveCount(0)

    // Weekly, as a PDF.
    await builder.getByLabel('Report name').fill(name)
    await builder.getByLabel('PDF').check()
    await builder.getByLabel('Schedule').selectOption('weekly')
    await builder.getByLabel('Day of the week').selectOption('1')
    await builder.getByLabel('Time of day').fill('08:00')
    await builder.getByRole('button', { name: 'Save report' }).click()
    await expect(page.getByTestId('report-notice')).toHaveText(`Saved “${name}”.`)

    const card = page.getByTestId('saved-report').filter({ hasText: name })
    await expect(card).toContainText('PDF · Weekly on Monday at 08:00')
    await expect(card.getByTestId('next-run')).toBeVisible()
    // The builder starts afresh for the next report.
    await expect(builder.getByLabel('Report name')).toHaveValue('')

    // Send it now, and watch the run finish (the page polls while a run is pending).
    await card.getByRole('button', { name: `Send now ${name}` }).click()
    const run = page.getByTestId('run-row').filter({ hasText: name }).first()
    await expect(run).toBeVisible()
    await expect(run).toHaveAttribute('data-status', 'done', { timeout: 120_000 })

    // The download is the PDF itself.
    const href = await run.getByTestId('run-download').getAttribute('href')
    expect(href).toMatch(/^\/dashboard\/reports\/runs\/[0-9a-f-]{36}\/download$/)
    const response = await page.request.get(href!)
    expect(response.status()).toBe(200)
    expect(response.headers()['content-type']).toBe('application/pdf')
    const disposition = response.headers()['content-disposition'] ?? ''
    expect(disposition).toMatch(/^attachment; filename="costwise-report-demo-.+\.pdf"$/)
    const body = await response.body()
    expect(body.subarray(0, 4).toString('latin1')).toBe('%PDF')
    const filename = /filename="([^"]+)"/.exec(disposition)![1]!

    // The emails are in the outbox, with the PDF attached.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outbox' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Outbox' })).toBeVisible()
    const message = page.getByTestId('outbox-message').filter({ hasText: cto }).filter({ hasText: filename })
    await expect(async () => {
      await page.reload()
      await expect(message.first()).toBeVisible({ timeout: 1_000 })
    }).toPass({ timeout: 90_000 })
    await expect(message.first().getByTestId('outbox-attachments')).toContainText(filename)
    await expect(
      page.getByTestId('outbox-message').filter({ hasText: finance }).filter({ hasText: filename }),
    ).toHaveCount(1)

    // Expanding a message shows its text.
    await message.first().locator('summary').click()
    await expect(message.first()).toContainText(`The full report is attached (${filename}).`)
    await expect(page.getByTestId('success-rate')).toBeVisible()
  })

  test('an invalid builder shows errors next to the fields', async ({ page }) => {
    await login(page, DEMO_USER.email, DEMO_USER.password)
    await page.goto('/dashboard/reports')
    const builder = page.locator('#report-builder')
    for (const metric of ['Cost', 'Tokens', 'Runs']) await builder.getByLabel(metric, { exact: true }).uncheck()
    await builder.getByRole('button', { name: 'Save report' }).click()
    await expect(builder.locator('[data-field-error="metrics"]')).toHaveText('Pick at least one metric.')
    await expect(builder.locator('[data-field-error$="name"]')).toHaveText('Give the report a name.')
    await expect(builder.locator('[data-field-error$="recipients"]')).toContainText('at least one recipient')
  })

  test('edit and delete a saved report', async ({ page, ownReports }) => {
    const name = `E2E daily ${Date.now().toString(36)}`
    ownReports(name)
    await login(page, DEMO_USER.email, DEMO_USER.password)
    await page.goto('/dashboard/reports')
    const builder = page.locator('#report-builder')
    await builder.getByLabel('Report name').fill(name)
    await builder.getByLabel('CSV').check()
    await builder.getByLabel('Recipients').fill('ops@example.com')
    await builder.getByLabel('Schedule').selectOption('daily')
    await builder.getByRole('button', { name: 'Save report' }).click()
    const card = page.getByTestId('saved-report').filter({ hasText: name })
    await expect(card).toContainText('CSV · Daily at 08:00')

    await card.getByRole('link', { name: `Edit ${name}` }).click()
    await expect(builder.getByRole('heading', { name: `Edit “${name}”` })).toBeVisible()
    await expect(builder.getByLabel('Recipients')).toHaveValue('ops@example.com')
    await builder.getByLabel('Schedule').selectOption('monthly')
    await builder.getByLabel('Day of the month').selectOption('15')
    await builder.getByRole('button', { name: 'Save changes' }).click()
    await expect(page).not.toHaveURL(/edit=/)
    await expect(page.getByTestId('report-notice')).toHaveText(`Saved “${name}”.`)
    await expect(card).toContainText('CSV · Monthly on day 15 at 08:00')
    await expect(page.getByTestId('saved-report').filter({ hasText: name })).toHaveCount(1)

    page.once('dialog', (dialog) => void dialog.accept())
    await card.getByRole('button', { name: `Delete ${name}` }).click()
    await expect(page.getByTestId('saved-report').filter({ hasText: name })).toHaveCount(0)
  })

  test('other plans see the builder and a preview, with an Enterprise notice instead of saving', async ({
    page,
    newAccount,
  }) => {
    await newAccount('reports', { name: 'Pat Free', teamName: 'Pat’s team' })
    await page.goto('/dashboard/reports')
    const notice = page.getByTestId('enterprise-notice')
    await expect(notice).toContainText('Enterprise plan')
    // The plan is the team's and only the operator changes it: the notice says how, and offers no switch.
    await expect(notice).toContainText('pnpm cli team set-plan')
    const builder = page.locator('#report-builder')
    await expect(builder.getByRole('button', { name: 'Save report' })).toBeDisabled()
    await expect(builder.getByRole('button', { name: 'Send now', exact: true })).toBeDisabled()
    await builder.getByRole('button', { name: 'Preview' }).click()
    await expect(page.getByTestId('report-preview')).toContainText('the report would be empty')
    await expect(page.getByTestId('reports-empty')).toBeVisible()
  })
})
