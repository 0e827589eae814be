/**
 * Prompt templates: `{{name}}` placeholders filled from a record of values. Pure, browser-safe; the Prompt
 * Lab renders on the client for the live preview and on the server for the run, with the same rules.
 *
 * Names are letters, digits, `_`, `-` and `.`, with optional spaces inside the braces (`{{ name }}`).
 * A placeholder without a value is left as written, so what you see is what the model gets.
 */
export const VARIABLE_PATTERN = /\{\{\s*([A-Za-z_][\w.-]{0,63})\s*\}\}/g

/** The distinct variable names in the texts, in order of first appearance. */
export function templateVariables(...texts: readonly string[]): string[] {
  const seen = new Set<string>()
  for (const text of texts) {
    for (const match of text.matchAll(VARIABLE_PATTERN)) seen.add(match[1]!)
  }
  return [...seen]
}

/** The text with each `{{name}}` that has a value replaced by it. */
export function renderTemplate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(VARIABLE_PATTERN, (whole, name: string) => (Object.hasOwn(values, name) ? values[name]! : whole))
}

export interface TemplateSegment {
  kind: 'text' | 'variable'
  /** The text as rendered (a variable's value, or its placeholder when it has none). */
  text: string
  /** The variable's name, for `variable` segments. */
  name?: string
}

/** The text split into literal runs and rendered variables (for the token heat map). */
export function templateSegments(text: string, values: Readonly<Record<string, string>>): TemplateSegment[] {
  const segments: TemplateSegment[] = []
  let last = 0
  for (const match of text.matchAll(VARIABLE_PATTERN)) {
    const index = match.index
    if (index > last) segments.push({ kind: 'text', text: text.slice(last, index) })
    const name = match[1]!
    segments.push({ kind: 'variable', name, text: Object.hasOwn(values, name) ? values[name]! : match[0] })
    last = index + match[0].length
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) })
  return segments
}
