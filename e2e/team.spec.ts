import AxeBuilder from '@axe-core/playwright'
import { expect, removeAccounts, test, uniqueEmail } from './fixtures'

// Team management against the real stack (web, worker and the local model server that `cli start` runs):
// an owner invites a member by email, the member accepts through the mailed link, is blocked in the Lab by
// their allocation, asks for more, the owner approves on the requests page, and the member's next run goes
// through; the audit log shows each step.

test.describe('Team management', () => {
  test('invite → accept → blocked by an allocation → request more → approve → the next run goes through', async ({
    page,
    browser,
    db,
    newAccount,
    setTeamPlan,
  }) => {
    // Two people and a dozen pages: a bound for the whole flow on a busy machine, not a speed check.
    test.setTimeout(300_000)
    const owner = await newAccount('team-owner', { name: 'Olive Owner' })
    await setTeamPlan('enterprise')
    const memberEmail = uniqueEmail('team-member')
    const member = await browser.newContext()
    try {
      // A team budget to split, through the procedure the budgets page calls.
      const saved = await page.request.post('/api/trpc/budgets.save', {
        data: { name: 'Team month', scope: 'team', period: 'month', limitUsd: '20', mode: 'hard' },
      })
      expect(saved.ok()).toBe(true)

      // The owner invites; the worker mails the link (no SMTP here: it waits in the outbox).
      await page.goto('/dashboard/team')
      await page.getByLabel('Email address').fill(memberEmail)
      await page.getByLabel('Role', { exact: true }).selectOption('member')
      await page.getByRole('button', { name: 'Send invitation' }).click()
      await expect(page.getByTestId('team-notice')).toHaveText(
        `Invitation sent to ${memberEmail}; the link works for 7 days.`,
      )
      await expect(page.locator(`[data-testid="invite-row"][data-email="${memberEmail}"]`)).toContainText('as member')

      let link = ''
      await expect
        .poll(async () => {
          const { rows } = await db.query<{ text_body: string }>(
            "select text_body from email_messages where to_address = $1 and kind = 'invite'",
            [memberEmail],
          )
          link = /\/invite\/[\w-]+/.exec(rows[0]?.text_body ?? '')?.[0] ?? ''
          return link
        })
        .toMatch(/^\/invite\//)

      // The member opens the link, creates the account and lands in the team.
      const mp = await member.newPage()
      await mp.goto(link)
      await expect(mp.getByRole('heading', { level: 1 })).toHaveText(`Join ${owner.teamName}`)
      await mp.getByLabel('Your name').fill('Mia Member')
      await mp.getByLabel('Password').fill('another-long-password')
      await mp.getByRole('button', { name: 'Create account and join' }).click()
      await expect(mp).toHaveURL(/\/dashboard\/usage$/)
      await mp.goto(link)
      await expect(mp.getByTestId('invite-state')).toContainText('accepted already')

      // The owner sees the member and gives them a tiny hard allocation of the team budget.
      await page.goto('/dashboard/team')
      await expect(page.locator(`[data-testid="member-row"][data-email="${memberEmail}"]`)).toContainText('Mia Member')
      await expect(page.getByTestId('invites-empty')).toBeVisible()
      const card = page.locator('[data-testid="allocation-card"][data-budget="Team month"]')
      // More than the team budget: refused with the reason, nothing saved.
      await card.getByLabel('Mia Member', { exact: true }).fill('25')
      await card.getByRole('button', { name: 'Save amounts' }).click()
      await expect(card.getByTestId('allocation-error')).toContainText('more than the team budget’s')
      await expect(card.getByTestId('allocation-summary')).toContainText('$0.00 allocated')
      await card.getByLabel('Mia Member', { exact: true }).fill('0.000001')
      await card.getByRole('button', { name: 'Save amounts' }).click()
      await expect(page.getByTestId('team-notice')).toHaveText(
        'Allocations saved: $0.000001 allocated, $19.999999 stays with the team.',
      )

      // The member's run is blocked by their allocation; they ask for more from the warning.
      await mp.goto('/lab')
      await mp.getByLabel('User message').fill('Explain what a token is.')
      await mp.getByRole('button', { name: 'Run', exact: true }).click()
      const banner = mp.getByTestId('budget-warning')
      await expect(banner).toHaveAttribute('data-level', 'blocked')
      await expect(banner).toContainText('Run blocked by the budget “Team month · Mia Member”')
      await banner.getByRole('button', { name: 'Request more' }).click()
      const form = banner.getByTestId('request-form')
      await form.getByLabel('Amount (USD)').fill('5')
      await form.getByLabel('Reason').fill('Trying the new summarisation prompt.')
      await form.getByRole('button', { name: 'Send request' }).click()
      await expect(banner.getByTestId('request-sent')).toContainText('Request sent')

      // The owner approves on the requests page.
      await page.goto('/dashboard/budget-requests')
      const request = page.getByTestId('budget-request').filter({ hasText: 'Mia Member' })
      await expect(request).toHaveAttribute('data-status', 'pending')
      await expect(request).toContainText('Trying the new summarisation prompt.')
      await request.getByLabel('Comment (optional)').fill('Go ahead.')
      await request.getByRole('button', { name: 'Approve' }).click()
      await expect(page.getByTestId('requests-notice')).toContainText('Approved $5')
      await page.getByTestId('requests-tab-approved').click()
      await expect(
        page.getByTestId('budget-request').filter({ hasText: 'Mia Member' }).getByTestId('request-decision'),
      ).toContainText(/Approved \$5(\.00)? by .*Go ahead\./)

      // The member's next run goes through.
      await mp.goto('/lab')
      await mp.getByLabel('User message').fill('Explain what a token is.')
      await mp.getByRole('button', { name: 'Run', exact: true }).click()
      await expect(mp.getByTestId('token-usage')).toBeVisible()
      await expect(mp.getByTestId('run-answer')).not.toBeEmpty()

      // The team usage page (Enterprise), filtered like the usage page: the member's one successful run
      // (the blocked one is a run too, with status "blocked").
      await expect
        .poll(async () => {
          await page.goto('/dashboard/team-usage?status=ok')
          return page
            .locator(`[data-testid="team-usage-row"][data-email="${memberEmail}"]`)
            .getByTestId('cell-runs')
            .textContent()
        })
        .toBe('1')

      // The audit log shows each step.
      await page.goto('/settings/audit')
      const actions = page.getByTestId('audit-row').locator('td.font-mono')
      for (const action of [
        'member.invited',
        'member.added',
        'allocation.changed',
        'budget_request.created',
        'budget_request.approved',
      ]) {
        await expect(actions.filter({ hasText: new RegExp(`^${action.replace('.', '\\.')}$`) }).first()).toBeVisible()
      }
    } finally {
      await member.close()
      await removeAccounts(db, [owner.email, memberEmail])
    }
  })

  test('locked on Free; on Enterprise: cost centres, alert channels with a test delivery, and every team page passes the accessibility check', async ({
    page,
    newAccount,
    setTeamPlan,
  }) => {
    test.setTimeout(300_000)
    await newAccount('team-pages')
    await page.goto('/dashboard/team-usage')
    await expect(page.getByTestId('team-usage-locked')).toContainText('Enterprise')
    await page.goto('/dashboard/cost-centers')
    await expect(page.getByTestId('cost-centers-locked')).toBeVisible()
    await setTeamPlan('enterprise')

    await page.goto('/dashboard/cost-centers')
    await page.getByLabel('Code').fill('Bad Code!')
    await page.getByLabel('Name', { exact: true }).fill('Engineering')
    await page.getByRole('button', { name: 'Add cost centre' }).click()
    await expect(page.getByTestId('cost-centers-notice')).toContainText('lowercase letters')
    await page.getByLabel('Code').fill('eng')
    await page.getByLabel('Name', { exact: true }).fill('Engineering')
    await page.getByRole('button', { name: 'Add cost centre' }).click()
    await expect(page.locator('[data-testid="cost-center-row"][data-code="eng"]')).toContainText('Engineering')

    await page.goto('/dashboard/alert-routing')
    const add = page.getByRole('form', { name: 'Add a channel' })
    await add.getByLabel('Name').fill('Ops hook')
    await add.getByLabel('URL').fill('http://127.0.0.1:9/hook')
    await add.getByRole('button', { name: 'Add channel' }).click()
    await expect(page.getByTestId('routing-notice')).toHaveAttribute('role', 'alert')
    await add.getByLabel('Name').fill('Ops hook')
    await add.getByLabel('URL').fill('https://hooks.example.com/costwise')
    await add.getByRole('button', { name: 'Add channel' }).click()
    await expect(page.getByTestId('channel-secret')).toHaveText(/^whsec_/)
    const channel = page.locator('[data-testid="channel-row"][data-name="Ops hook"]')
    await channel.getByRole('button', { name: 'Send test' }).click()
    await expect(page.getByTestId('delivery-row').first()).toContainText('test')

    for (const path of [
      '/dashboard/team',
      '/dashboard/budget-requests',
      '/dashboard/alert-routing',
      '/dashboard/team-usage',
      '/dashboard/cost-centers',
    ]) {
      await page.goto(path)
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
      const results = await new AxeBuilder({ page }).analyze()
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      expect(
        serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        `${path} accessibility`,
      ).toEqual([])
    }
  })
})
