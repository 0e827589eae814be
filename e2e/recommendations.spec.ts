import AxeBuilder from '@axe-core/playwright'
import { expect, test } from './fixtures'

// The Apply flow against the real stack, in a fresh team made for this test (removed after it): a prompt and a
// month of its runs sent over the REST API, a refresh finds the cheaper model, Apply switches the prompt, and a
// real Lab run on the new model (the local demo server) shows up as realised savings.

test('a recommendation with exact savings is applied, changes the prompt, and its savings appear after the next run', async ({
  page,
  newAccount,
}) => {
  // A whole Apply cycle: eight page loads, a refresh, a real Lab run and a restore; more than the default on a busy machine.
  test.setTimeout(240_000)
  await newAccount('recs')

  // A prompt on the large demo model, and 40 of its runs over the last ten days.
  const created = await page.request.post('/api/prompts', {
    data: {
      name: 'E2E summariser',
      model: 'costwise-demo',
      messages: [
        { role: 'system', content: 'Summarise in one sentence.' },
        { role: 'user', content: 'Summarise what prompt caching is.' },
      ],
      maxOutputTokens: 400,
    },
  })
  expect(created.ok()).toBe(true)
  const prompt = (await created.json()) as { id: string; version: number }
  expect(prompt.version).toBe(1)
  const now = Date.now()
  const events = Array.from({ length: 40 }, (_, i) => ({
    model: 'costwise-demo',
    inputTokens: 700 + i,
    outputTokens: 180 + (i % 7),
    promptId: prompt.id,
    feature: 'lab',
    occurredAt: new Date(now - (i + 1) * 6 * 3_600_000).toISOString(),
  }))
  const tracked = await page.request.post('/api/usage/track/batch', { data: { events } })
  expect(tracked.ok()).toBe(true)

  await page.goto('/dashboard/recommendations')
  await expect(page.getByTestId('recommendations-empty')).toBeVisible()
  await page.getByRole('button', { name: 'Refresh now' }).click()
  await expect(page.getByTestId('recommendations-status')).toHaveText(
    'Looked at the last 30 days: 1 open recommendation.',
  )
  const card = page.getByTestId('recommendation-card')
  await expect(card).toHaveCount(1)
  await expect(card).toHaveAttribute('data-kind', 'cheaper_model')
  await expect(card.getByRole('heading')).toHaveText('Switch “E2E summariser” from costwise-demo to costwise-demo-mini')
  await expect(card.getByTestId('recommendation-savings')).toHaveText(/^\$\d[\d,]*\.\d{2,} a month$/) // formatUsd: cents from $1, 3 significant digits under

  // The contract over REST: the same recommendation, money as a decimal string.
  const listed = (await (await page.request.get('/api/recommendations')).json()) as {
    items: { id: string; kind: string; monthlySavingsUsd: string; suggestedModel: string }[]
  }
  expect(listed.items).toHaveLength(1)
  expect(listed.items[0]).toMatchObject({ kind: 'cheaper_model', suggestedModel: 'costwise-demo-mini' })
  expect(listed.items[0]!.monthlySavingsUsd).toMatch(/^\d+\.\d+$/)

  const axe = await new AxeBuilder({ page }).analyze()
  expect(
    axe.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([])

  await card.getByRole('button', { name: /^Apply/ }).click()
  await expect(page.getByTestId('recommendations-status')).toHaveText(/^Applied: Switch “E2E summariser”/)
  await expect(page.getByTestId('recommendation-card')).toHaveCount(0)
  await page.getByRole('link', { name: /^Applied \(1\)/ }).click()
  const applied = page.getByTestId('recommendation-card')
  await expect(applied).toHaveAttribute('data-state', 'applied')
  await expect(applied).toContainText('Savings are measured on the prompt’s next runs.')

  // Apply changed the prompt as version 2, made by this user, from this recommendation.
  const after = (await (await page.request.get(`/api/prompts/${prompt.id}`)).json()) as {
    model: string
    version: number
  }
  expect(after).toMatchObject({ model: 'costwise-demo-mini', version: 2 })
  const versions = (await (await page.request.get(`/api/prompts/${prompt.id}/versions`)).json()) as {
    items: { source: string; recommendationId: string }[]
  }
  expect(versions.items[0]).toMatchObject({ source: 'apply', recommendationId: listed.items[0]!.id })

  // A real run in the Lab, now on the small model.
  await page.goto(`/lab/${prompt.id}`)
  await expect(page.getByLabel('Model')).toHaveValue('costwise-demo-mini')
  await page.getByRole('button', { name: 'Run', exact: true }).click()
  await expect(page.getByTestId('token-usage')).toBeVisible()

  await page.goto('/dashboard/recommendations?status=applied')
  const realised = page.getByTestId('realised-savings')
  await expect(realised).toContainText(/^Saved \$[\d.]+ over 1 run since it was applied/)
  await expect(page.getByTestId('saved-this-month')).not.toHaveText('$0.00')

  // The change is revertable: restoring version 1 in the Lab puts the model back and re-opens the recommendation.
  await page.goto(`/lab/${prompt.id}`)
  const versionsCard = page.getByTestId('prompt-versions')
  await expect(versionsCard).toContainText('applied a recommendation (model)')
  await versionsCard.getByRole('button', { name: 'Restore version 1' }).click()
  await expect(versionsCard).toContainText('restored v1 (model)')
  await expect(page.getByLabel('Model')).toHaveValue('costwise-demo')
  await page.goto('/dashboard/recommendations')
  await expect(page.getByTestId('recommendation-card')).toHaveAttribute('data-state', 'open')
})
