import { expect, test } from './fixtures'

test('an admin creates an API key (shown once), it works against the API, and revoking it locks it out', async ({
  page,
  newAccount,
}) => {
  await newAccount('keys', { name: 'Key Maker', teamName: 'Keys team' })
  await page.goto('/settings')
  await expect(page.getByText('No API keys yet.')).toBeVisible()
  await page.getByLabel('Name').fill('billing-service')
  await page.getByRole('button', { name: 'Create key' }).click()
  const key = (await page.getByTestId('new-api-key').textContent())!.trim()
  expect(key).toMatch(/^cw_/)
  await expect(page.getByRole('cell', { name: 'billing-service', exact: true })).toBeVisible()

  const stats = () => page.request.get('/api/usage/stats', { headers: { authorization: `Bearer ${key}` } })
  expect((await stats()).status()).toBe(200)

  await page.getByRole('button', { name: 'Revoke key billing-service' }).click()
  await expect(page.getByText(/^Revoked /)).toBeVisible()
  expect((await stats()).status()).toBe(401)
})
