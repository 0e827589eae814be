import { describe, expect, it } from 'vitest'
import { loginForm, parseForm, signupForm } from './auth-forms'

function form(values: Record<string, string>): FormData {
  const fd = new FormData()
  for (const [k, v] of Object.entries(values)) fd.set(k, v)
  return fd
}

describe('auth forms', () => {
  it('accepts a complete sign-up and trims what people type', () => {
    const result = parseForm(
      signupForm,
      form({ name: ' Ada ', email: ' ada@example.com ', password: 'correct horse', teamName: ' Analytical ' }),
    )
    expect(result).toEqual({
      ok: true,
      data: { name: 'Ada', email: 'ada@example.com', password: 'correct horse', teamName: 'Analytical' },
    })
  })

  it('names each field at fault with one message, and never echoes the password', () => {
    const result = parseForm(signupForm, form({ name: '', email: 'not-an-email', password: 'short', teamName: 'T' }))
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.fieldErrors).toEqual({
      name: 'Enter your name',
      email: 'Enter a valid email address',
      password: 'Use at least 8 characters',
    })
    expect(result.values).toEqual({ name: '', email: 'not-an-email', teamName: 'T' })
  })

  it('asks for a missing email on log-in rather than calling it invalid', () => {
    const result = parseForm(loginForm, form({ password: 'x' }))
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.fieldErrors).toEqual({ email: 'Enter your email address' })
  })
})
