// Making text safe for the places it ends up: spreadsheets (CSV) and HTML email.

/** Characters that make a spreadsheet read a cell as a formula (or shift it), when they start it. */
export const CSV_FORMULA_START = /^[=+\-@\t\r]/

/**
 * A text cell for CSV that a spreadsheet will not run: one starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return gets a leading `'` (OWASP's advice), so `=HYPERLINK(…)` shows as text. Only for text
 * (names, models, keys): numbers are written as numbers and never pass through here, so a negative amount
 * stays a number.
 */
export function csvSafeText(value: string): string {
  return CSV_FORMULA_START.test(value) ? `'${value}` : value
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text for HTML (element content and quoted attributes). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)
}
