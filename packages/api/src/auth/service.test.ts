import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { logIn, logOut, resolveSession, signUp } from './service'

describe('auth service', () => {
  let t: TestDb
  beforeAll(async () => {
    t = await createTestDb()
  })
  afterAll(async () => t.destroy())

  it('signs up a user with their own team, logs in and out', async () => {
    expect(
      await signUp(t.db, { email: 'New@Example.com', password: 'correct horse', name: 'New', teamName: 'New Co' }),
    ).toMatchObject({ created: true })
    const session = await logIn(t.db, { email: 'new@example.com', password: 'correct horse' })
    const resolved = await resolveSession(t.db, session.token)
    expect(resolved?.user.email).toBe('new@example.com')
    expect(resolved?.memberships).toMatchObject([{ slug: 'new-co', role: 'owner' }])

    const stored = await t.db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow()
    expect(stored.password_hash).toMatch(/^\$argon2id\$/)
    const sessions = await t.db.selectFrom('sessions').select('token_hash').execute()
    expect(sessions.map((s) => s.token_hash)).not.toContain(session.token)

    const again = await logIn(t.db, { email: 'new@example.com', password: 'correct horse' })
    expect(await resolveSession(t.db, again.token)).not.toBeNull()
    await logOut(t.db, again.token)
    expect(await resolveSession(t.db, again.token)).toBeNull()
  })

  it('refuses a wrong password, an unknown user and a taken email', async () => {
    await signUp(t.db, { email: 'x@example.com', password: 'password-x', name: 'X', teamName: 'New Co' })
    await expect(logIn(t.db, { email: 'x@example.com', password: 'wrong-pass' })).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    })
    await expect(logIn(t.db, { email: 'nobody@example.com', password: 'whatever1' })).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    })
    // A taken email creates nothing and is not an error: the page answers as for a new account.
    const teamsBefore = await t.db.selectFrom('teams').select('id').execute()
    await expect(
      signUp(t.db, { email: 'x@example.com', password: 'another-pass', name: 'X', teamName: 'Other' }),
    ).resolves.toEqual({ created: false })
    expect(await t.db.selectFrom('teams').select('id').execute()).toHaveLength(teamsBefore.length)
    await expect(logIn(t.db, { email: 'x@example.com', password: 'another-pass' })).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    })
  })

  it('names the field on bad sign-up input', async () => {
    await expect(signUp(t.db, { email: 'bad', password: 'password1', name: 'B', teamName: 'T' })).rejects.toMatchObject(
      {
        code: 'BAD_INPUT',
        field: 'email',
      },
    )
    await expect(
      signUp(t.db, { email: 'b@example.com', password: 'short', name: 'B', teamName: 'T' }),
    ).rejects.toMatchObject({
      code: 'BAD_INPUT',
      field: 'password',
    })
  })

  it('gives the second team with the same name its own slug', async () => {
    const teams = await t.db.selectFrom('teams').select('slug').where('name', '=', 'New Co').execute()
    expect(new Set(teams.map((x) => x.slug)).size).toBe(teams.length)
  })
})
