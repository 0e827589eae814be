import { email, teams, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMailer } from './mail'
import { startSmtp } from './testing'

describe('delivery status of mail', () => {
  let t: TestDb
  let db: Db
  let smtp: Awaited<ReturnType<typeof startSmtp>>

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    smtp = await startSmtp()
  })
  afterAll(async () => {
    await smtp.close()
    await t.destroy()
  })

  const queue = async (teamId: string, key: string) =>
    email.queueEmails(db, [
      { teamId, kind: 'alert', dedupeKey: key, to: 'admin@mail.test', subject: 'Budget reached 50%', text: 'hello' },
    ])

  it('with no SMTP server, keeps the message as not sent: no sent time, no "100 %" success', async () => {
    const team = await teams.insertTeam(db, { slug: 'no-smtp', name: 'No SMTP' })
    await queue(team.id, 'no-smtp:1')
    const mailer = createMailer({ from: 'Costwise <a@costwise.test>' })
    expect(mailer.transport).toBe('outbox')
    await mailer.deliverPending(db, 'no-smtp:')
    const [message] = await email.listEmails(db, team.id)
    expect(message).toMatchObject({ status: 'outbox', sent_at: null })
    expect(await email.deliveryStats(db, team.id)).toMatchObject({
      attempts: '0',
      succeeded: '0',
      delivered: '0',
      notSent: '1',
    })
    // Filed once: a second pass does not file it again.
    await mailer.deliverPending(db, 'no-smtp:')
    expect((await email.listEmails(db, team.id))[0]!.attempts).toBe(1)
    mailer.close()
  })

  it('with an SMTP server, counts the hand-over as sent', async () => {
    const team = await teams.insertTeam(db, { slug: 'smtp', name: 'SMTP' })
    await queue(team.id, 'smtp:1')
    const mailer = createMailer({ smtpUrl: smtp.url, from: 'Costwise <a@costwise.test>' })
    await mailer.deliverPending(db, 'smtp:')
    const [message] = await email.listEmails(db, team.id)
    expect(message!.status).toBe('sent')
    expect(message!.sent_at).toBeInstanceOf(Date)
    expect(await email.deliveryStats(db, team.id)).toMatchObject({
      attempts: '1',
      succeeded: '1',
      delivered: '1',
      notSent: '0',
    })
    expect(smtp.received.flatMap((m) => m.to)).toContain('admin@mail.test')
    mailer.close()
  })
})
