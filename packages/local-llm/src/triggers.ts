/**
 * Failure injection: markers in any message's content make the server fail on purpose, so the
 * gateway's error paths can be tested through the real SDK over real HTTP.
 *
 * - `[[fail:NNN]]`       answer with HTTP status NNN (400–599) and OpenAI's error JSON;
 *                        429 carries `retry-after: 0`.
 * - `[[drop-after:N]]`   streaming: send N content chunks, then destroy the socket (no finish
 *                        chunk, no usage, no `[DONE]`); not streaming: destroy it before responding.
 * - `[[fail-once:KEY]]`  the first request carrying KEY (per server instance) is dropped before any
 *                        response; later ones succeed.
 *
 * Precedence when several appear: fail-once (on its first sighting), then fail, then drop-after.
 */
export interface Triggers {
  failStatus?: number
  dropAfter?: number
  failOnceKey?: string
}

const FAIL = /\[\[fail:(\d{3})\]\]/
const DROP_AFTER = /\[\[drop-after:(\d+)\]\]/
const FAIL_ONCE = /\[\[fail-once:([^\]]+)\]\]/

export function parseTriggers(texts: readonly string[]): Triggers {
  const triggers: Triggers = {}
  for (const text of texts) {
    if (!text.includes('[[')) continue
    const fail = FAIL.exec(text)
    if (fail && triggers.failStatus === undefined) {
      const status = Number(fail[1])
      if (status >= 400 && status <= 599) triggers.failStatus = status
    }
    const drop = DROP_AFTER.exec(text)
    if (drop && triggers.dropAfter === undefined) triggers.dropAfter = Number(drop[1])
    const once = FAIL_ONCE.exec(text)
    if (once && triggers.failOnceKey === undefined) triggers.failOnceKey = once[1]
  }
  return triggers
}
