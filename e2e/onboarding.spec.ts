import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { expect, test } from './fixtures'

const run = promisify(execFile)

// A new team's first minutes: the usage page guides it from no key to its first recorded event, with the snippet
// the page shows run as a user would paste it (a real curl against the real server).

test.describe('First run', () => {
  test('sign up, create a key in the guide, send one event with the shown curl snippet, see it arrive', async ({
    page,
    newAccount,
  }) => {
    await newAccount('onboarding')
    await page.goto('/dashboard/usage')
    const guide = page.getByTestId('first-run-guide')
    await expect(guide).toBeVisible()
    await expect(guide.getByTestId('first-event')).toHaveAttribute('data-state', 'waiting')

    await guide.getByRole('button', { name: 'Create API key' }).click()
    const key = guide.getByTestId('first-key-value')
    await expect(key).toHaveText(/^cw_/)
    const curl = guide.getByTestId('snippet-curl')
    await expect(curl).toContainText((await key.textContent())!)

    const keyText = (await key.textContent())!
    const snippet = (await curl.textContent())!
    const { stdout } = await run('sh', ['-c', snippet])
    const answer = JSON.parse(stdout) as { costUsd: string; duplicate: boolean }
    expect(answer.duplicate).toBe(false)
    expect(Number(answer.costUsd)).toBeGreaterThan(0)

    // The guide sees the event without a reload, then the dashboard shows it.
    await expect(guide.getByTestId('first-event')).toHaveAttribute('data-state', 'received')
    await expect(guide.getByTestId('first-event')).toContainText('gpt-4o-mini')
    await guide.getByRole('button', { name: 'Show my usage' }).click()
    await expect(page.getByTestId('summary-runs').getByTestId('summary-value')).toHaveText('1')

    // The key was shown once: it is not on the settings page.
    await page.goto('/settings')
    await expect(page.getByRole('cell', { name: 'first-key', exact: true })).toBeVisible()
    await expect(page.getByText(keyText)).toHaveCount(0)
  })

  test('team settings: name, a time zone from the list, the 24-hour clock; bad input names the field', async ({
    page,
    newAccount,
  }) => {
    await newAccount('team-settings')
    await page.goto('/settings/team')
    await page.getByLabel('Team name').fill('Renamed team')
    await page.getByLabel('Time zone').fill('Europe/Berlin')
    await page.getByLabel('24-hour (14:05)').check()
    await page.getByRole('button', { name: 'Save team settings' }).click()
    await expect(page.getByTestId('team-settings-saved')).toBeVisible()
    await expect(page.getByTestId('active-team').first()).toHaveText('Renamed team')
    await page.reload()
    await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Berlin')
    await expect(page.getByLabel('24-hour (14:05)')).toBeChecked()

    await page.getByLabel('Time zone').fill('Mars/Olympus')
    await page.getByRole('button', { name: 'Save team settings' }).click()
    await expect(page.getByRole('alert')).toContainText('timeZone')
  })
})
