import { expect, hydrated, test } from './fixtures'

// Analytics that explain, in a fresh team made for this test (removed after it): usage with custom features
// and tags sent through the REST API (by an API key and by the signed-in member), then the breakdown card,
// one Apply for the whole filter form, the request drawer, a saved view, and no horizontal overflow at 375 px.

const money = (s: string) => s.trim()

test('breaks usage down by member, key, feature and tag; one Apply filters; a row opens in a drawer', async ({
  page,
  newAccount,
}) => {
  test.setTimeout(420_000)
  const account = await newAccount('analytics')

  const created = await page.request.post('/api/trpc/apiKeys.create', { data: { name: 'search-service' } })
  expect(created.ok(), await created.text()).toBe(true)
  const { key } = (await created.json()).result.data as { key: string }
  const byKey = await page.request.post('/api/usage/track/batch', {
    headers: { authorization: `Bearer ${key}` },
    data: {
      events: [
        {
          model: 'gpt-4o',
          inputTokens: 4000,
          outputTokens: 800,
          feature: 'search',
          tags: { env: 'prod', customer: 'acme' },
        },
        { model: 'gpt-4o-mini', inputTokens: 9000, outputTokens: 1200, feature: 'search', tags: { env: 'staging' } },
        {
          model: 'gpt-4o',
          inputTokens: 1500,
          outputTokens: 300,
          feature: 'support-bot/summary',
          tags: { env: 'prod' },
        },
      ],
    },
  })
  expect(byKey.ok(), await byKey.text()).toBe(true)
  // A bad tag is refused naming the field, and records nothing.
  const bad = await page.request.post('/api/usage/track', {
    headers: { authorization: `Bearer ${key}` },
    data: { model: 'gpt-4o', inputTokens: 1, outputTokens: 1, tags: { env: 5 } },
  })
  expect(bad.status()).toBe(400)
  expect((await bad.json()).field).toBe('tags.env')
  // The signed-in member's own call (no key): the member breakdown has a line for them.
  const mine = await page.request.post('/api/usage/track', {
    data: { model: 'gpt-4o-mini', inputTokens: 2000, outputTokens: 100, feature: 'lab' },
  })
  expect(mine.ok(), await mine.text()).toBe(true)

  await page.goto('/dashboard/usage')
  await hydrated(page)
  const total = money((await page.getByTestId('summary-cost').getByTestId('summary-value').textContent())!)
  const card = page.getByTestId('breakdown')

  // By member (the default): the member's line and the API-key calls' line, adding up to the total.
  await expect(card.getByRole('heading', { name: 'Cost by member' })).toBeVisible()
  await expect(card.getByTestId('breakdown-row')).toHaveCount(2)
  await expect(card.getByTestId('breakdown-row').filter({ hasText: account.name })).toHaveCount(1)
  await expect(card.getByTestId('breakdown-total')).toHaveText(total)

  await card.getByRole('navigation', { name: 'Break down by' }).getByRole('link', { name: 'API key' }).click()
  await expect(page).toHaveURL(/by=apiKey/)
  await expect(card.getByTestId('breakdown-row').filter({ hasText: 'search-service' })).toHaveCount(1)

  await card.getByRole('navigation', { name: 'Break down by' }).getByRole('link', { name: 'Feature' }).click()
  await expect(card.getByTestId('breakdown-row')).toHaveText([
    /search/,
    /support-bot\/summary|lab/,
    /support-bot\/summary|lab/,
  ])

  await card.getByRole('navigation', { name: 'Break down by' }).getByRole('link', { name: 'Tag' }).click()
  await expect(card.getByLabel('Tag key')).toHaveValue('customer', { timeout: 90_000 })
  await card.getByLabel('Tag key').selectOption('env')
  await expect(page).toHaveURL(/tagKey=env/)
  await expect(card.getByTestId('breakdown-row').filter({ hasText: 'env: prod' })).toHaveCount(1)
  await expect(card.getByTestId('breakdown-row').filter({ hasText: 'No env' })).toHaveCount(1)
  await expect(card.getByTestId('breakdown-total')).toHaveText(total)

  // One form, one Apply: nothing changes until Apply, then the URL carries only what was chosen.
  const filters = page.getByRole('form', { name: 'Filters' })
  await filters.getByLabel('Feature').selectOption('search')
  await filters.getByLabel('Tag', { exact: true }).fill('env:prod')
  await filters.getByLabel('Range').selectOption('last-7-days')
  await expect(page).not.toHaveURL(/feature=/)
  await filters.getByRole('button', { name: 'Apply' }).click()
  await expect(page).toHaveURL(/feature=search/)
  const search = new URL(page.url()).searchParams
  expect([...search.keys()].sort()).toEqual(['by', 'feature', 'range', 'tag', 'tagKey'])
  expect(search.get('tag')).toBe('env:prod')
  await expect(page.getByTestId('active-filters')).toContainText('Tag: env:prod')
  await expect(page.getByTestId('history-row')).toHaveCount(1)

  // The request drawer: a native modal dialog with every field, its tags and the cost per part.
  await page.getByTestId('history-open').first().click()
  const drawer = page.getByRole('dialog')
  await expect(drawer).toBeVisible()
  await expect(page).toHaveURL(/row=[0-9a-f-]{36}/)
  await expect(drawer.getByRole('heading', { level: 2 })).toContainText('gpt-4o')
  await expect(drawer.getByTestId('drawer-tags')).toContainText('customer: acme')
  await expect(drawer.getByTestId('drawer-fields')).toContainText('search-service')
  await expect(drawer.getByTestId('drawer-breakdown')).toContainText('Output')
  await expect(drawer.getByTestId('drawer-total')).toHaveText(
    money((await page.getByTestId('history-cost').first().textContent())!),
  )
  await page.keyboard.press('Escape')
  await expect(drawer).toBeHidden()
  await expect(page).not.toHaveURL(/row=/)

  // Saved views: this view under a name, listed for the team, and it opens the same URL.
  await page.getByLabel('View name').fill('Prod search')
  await page.getByRole('button', { name: 'Save view' }).click()
  const saved = page.getByRole('navigation', { name: 'Saved views' }).getByRole('link', { name: 'Prod search' })
  await expect(saved).toBeVisible()
  await expect(saved).toHaveAttribute('href', /feature=search/)
  await expect(page.getByTestId('saved-view-notice')).toHaveText('Saved the view “Prod search”.')

  // What changed: the previous period had nothing, so everything is new.
  await expect(page.getByTestId('what-changed')).toContainText('(new)')

  // 375 px: nothing on the page scrolls sideways.
  await page.setViewportSize({ width: 375, height: 800 })
  await page.goto(`/dashboard/usage?by=tag&tagKey=env`)
  await hydrated(page)
  await expect(card.getByTestId('breakdown-row').first()).toBeVisible()
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
  ).toBeLessThanOrEqual(0)
  await page.getByTestId('history-open').first().click()
  await expect(page.getByRole('dialog')).toBeVisible()
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
  ).toBeLessThanOrEqual(0)
})
