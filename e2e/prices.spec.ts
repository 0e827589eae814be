import { expect } from '@playwright/test'
import { hydrated, test } from './fixtures'

// Negotiated prices reach the Lab's live preview; a provider's cost export is reconciled with tracked spend.

test('a team discount prices the Lab preview, and a cost export shows what Costwise did not see', async ({
  page,
  newAccount,
}) => {
  await newAccount('prices')

  await page.goto('/dashboard/prices')
  await hydrated(page)
  const discounts = page.getByTestId('price-discounts')
  await expect(discounts.getByText('No discounts: list prices apply.')).toBeVisible()
  // A bad percentage is refused, naming the field.
  await discounts.getByLabel('Provider or model').fill('openai')
  await discounts.getByLabel('Discount %').fill('150')
  await discounts.getByLabel('From').fill('2020-01-01')
  await discounts.getByRole('button', { name: 'Add discount' }).click()
  await expect(page.getByTestId('price-error')).toContainText('percent')
  await discounts.getByLabel('Discount %').fill('20')
  await discounts.getByRole('button', { name: 'Add discount' }).click()
  await expect(discounts.getByTestId('discount-row')).toContainText('All openai models')
  await expect(discounts.getByTestId('discount-row')).toContainText('20 %')

  await page.goto('/lab')
  await hydrated(page)
  await page.getByLabel('Model').selectOption('gpt-4o-mini')
  await page.getByLabel('User message').fill('Summarise the quarterly report in three bullet points.')
  await expect(page.getByTestId('preview-price-source')).toHaveText("At list price less your team's 20 % discount.")
  await page.getByLabel('Processing').selectOption('priority')
  await expect(page.getByTestId('preview-price-source')).toHaveText(
    "At list price less your team's 20 % discount (priority processing).",
  )
  await page.getByLabel('Model').selectOption('claude-haiku-4-5')
  await expect(page.getByTestId('preview-price-source')).toHaveText('At list price.')

  const month = new Date().toISOString().slice(0, 7)
  await page.goto(`/dashboard/reconciliation?provider=openai&month=${month}`)
  await hydrated(page)
  await expect(page.getByTestId('reconciliation-empty')).toBeVisible()
  const start = Date.parse(`${month}-01T00:00:00Z`) / 1000
  const costs = {
    object: 'page',
    data: [
      {
        object: 'bucket',
        start_time: start,
        end_time: start + 86_400,
        results: [
          {
            object: 'organization.costs.result',
            amount: { value: 1.5, currency: 'usd' },
            line_item: 'gpt-4.1-mini-2025-04-14, input',
            project_id: null,
          },
        ],
      },
    ],
    has_more: false,
    next_page: null,
  }
  await page
    .getByLabel(/OpenAI cost export/)
    .setInputFiles({ name: 'costs.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(costs)) })
  await page.getByRole('button', { name: 'Import' }).click()
  await expect(page.getByTestId('provider-total')).toHaveText('$1.50')
  await expect(page.getByTestId('missing-total')).toHaveText('$1.50')
  await expect(page.getByTestId('capture-rate')).toHaveText('0 %')
  await expect(page.getByTestId('reconciliation-row')).toContainText('gpt-4.1-mini')
})
