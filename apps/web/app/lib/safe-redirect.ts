export const DEFAULT_REDIRECT = '/dashboard/usage'

/**
 * A redirect target from user input, accepted only when it is a relative path on this site. Anything else
 * (absolute URLs, protocol-relative `//host`, backslash tricks) falls back to the default.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = DEFAULT_REDIRECT): string {
  if (typeof to !== 'string' || to.length === 0 || to.length > 2048) return fallback
  if (!to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback
  if (/[\u0000-\u001f]/.test(to)) return fallback // eslint-disable-line no-control-regex -- control characters are what it refuses
  try {
    const url = new URL(to, 'http://costwise.invalid')
    if (url.origin !== 'http://costwise.invalid') return fallback
    return `${url.pathname}${url.search}${url.hash}`
  } catch {
    return fallback
  }
}
