import { AppError } from '@costwise/core'
import { createDb, teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from './secrets'
import { logIn, signUp } from './service'
import { DEFAULT_LOGIN_THROTTLE } from './throttle'

// Time is passed in (`now`), so the wait is crossed without sleeping and nothing depends on the wall clock.
describe('sign-in throttling (shared in PostgreSQL)', () => {
  let t: TestDb
  let db: Db
  let otherProcess: Db
  const start = new Date('2026-12-02T10:00:00Z')
  const at = (seconds: number) => new Date(start.getTime() + seconds * 1000)

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    // A second pool stands in for a second web process: the counters must be the same for both.
    otherProcess = createDb(t.url, { max: 2 })
    const team = await teams.insertTeam(db, { slug: 'throttle', name: 'T' })
    const user = await users.insertUser(db, {
      email: 'victim@throttle.test',
      name: 'V',
      passwordHash: await hashPassword('the-right-password'),
    })
    await teams.upsertMember(db, team.id, user.id, 'owner')
  })
  afterAll(async () => {
    await otherProcess?.destroy()
    await t?.destroy()
  })

  const attempt = (handle: Db, email: string, password: string, now: Date, ip = '203.0.113.7') =>
    logIn(handle, { email, password }, { ip, now }).then(
      (): { code: string; retryAfterSeconds?: number; message?: string } => ({ code: 'OK' }),
      (e: unknown) => {
        if (!(e instanceof AppError)) throw e
        const wait = e.details?.retryAfterSeconds
        return { code: e.code, retryAfterSeconds: typeof wait === 'number' ? wait : undefined, message: e.message }
      },
    )

  it('twenty wrong passwords: the first ten are "incorrect", then the wait in seconds; the right password works once it is over', async () => {
    const answers = []
    for (let i = 0; i < 20; i++) {
      // Alternate processes and addresses: the account's count is shared and holds across both.
      answers.push(
        await attempt(i % 2 ? otherProcess : db, 'victim@throttle.test', `wrong-${i}`, at(i), `198.51.100.${i}`),
      )
    }
    const limit = DEFAULT_LOGIN_THROTTLE.perAccount.failures
    expect(answers.slice(0, limit).every((a) => a.code === 'INVALID_CREDENTIALS')).toBe(true)
    expect(answers.slice(limit).map((a) => a.code)).toEqual(Array(20 - limit).fill('RATE_LIMITED'))
    // Seconds to wait until the window that began with the first failure ends.
    const window = DEFAULT_LOGIN_THROTTLE.perAccount.windowSeconds
    expect(answers.slice(limit).map((a) => a.retryAfterSeconds)).toEqual(
      Array.from({ length: 20 - limit }, (_, k) => window - (limit + k)),
    )
    expect(answers[limit]!.message).toMatch(/Try again in \d+ minutes/)

    // While it lasts, even the right password gets the same wait (the attacker learns nothing).
    expect(await attempt(db, 'victim@throttle.test', 'the-right-password', at(window - 1))).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 1,
    })
    // Once it is over, the right password works, and clears the count.
    expect(await attempt(otherProcess, 'victim@throttle.test', 'the-right-password', at(window))).toEqual({
      code: 'OK',
    })
    expect(await attempt(db, 'victim@throttle.test', 'wrong-again', at(window + 1))).toMatchObject({
      code: 'INVALID_CREDENTIALS',
    })
  })

  it('an unknown email gets exactly the answers a wrong password does', async () => {
    const known = []
    const unknown = []
    for (let i = 0; i < 12; i++) {
      known.push(await attempt(db, 'victim@throttle.test', 'nope-nope', at(10_000 + i), '192.0.2.1'))
      unknown.push(await attempt(db, 'nobody@throttle.test', 'nope-nope', at(10_000 + i), '192.0.2.2'))
    }
    expect(unknown).toEqual(known)
  })

  it('one address guessing across many accounts is stopped by the per-address limit', async () => {
    const ip = '192.0.2.99'
    const limit = DEFAULT_LOGIN_THROTTLE.perIp.failures
    const codes = []
    for (let i = 0; i <= limit; i++)
      codes.push((await attempt(db, `user${i}@spray.test`, 'password1', at(20_000 + i), ip)).code)
    expect(codes.slice(0, limit).every((c) => c === 'INVALID_CREDENTIALS')).toBe(true)
    expect(codes[limit]).toBe('RATE_LIMITED')
    // Another address is not held back by it.
    expect((await attempt(db, 'user0@spray.test', 'password1', at(20_000 + limit), '192.0.2.100')).code).toBe(
      'INVALID_CREDENTIALS',
    )
  })

  it('sign-ups are limited per address', async () => {
    const throttle = { ...DEFAULT_LOGIN_THROTTLE, signUpsPerIp: { count: 2, windowSeconds: 3600 } }
    const input = (i: number) => ({
      email: `new${i}@signup.test`,
      password: 'long-enough',
      name: 'N',
      teamName: `Team ${i}`,
    })
    await expect(signUp(db, input(1), { ip: '192.0.2.50', throttle, now: at(0) })).resolves.toMatchObject({
      created: true,
    })
    await expect(signUp(db, input(2), { ip: '192.0.2.50', throttle, now: at(1) })).resolves.toMatchObject({
      created: true,
    })
    await expect(signUp(db, input(3), { ip: '192.0.2.50', throttle, now: at(2) })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
    })
    await expect(signUp(db, input(3), { ip: '192.0.2.50', throttle, now: at(3600) })).resolves.toMatchObject({
      created: true,
    })
  })
})
