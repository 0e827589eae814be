import type { Db } from '@costwise/db'
import type { ApiConfig } from '../config'
import { handleExportRequest, handleRestRequest } from '../http'

/** One REST call as an internal tool makes it (JSON body, `Authorization: Bearer <key>`), for tests. */
export async function restCall(
  db: Db,
  method: string,
  path: string,
  body?: unknown,
  apiKey: string | null = null,
  config?: ApiConfig,
) {
  const request = new Request(`http://localhost/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const res = path.startsWith('/usage/export')
    ? await handleExportRequest(db, request, config)
    : await handleRestRequest(db, request, config)
  const text = await res.text()
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON the route answered
  let json: any = null
  try {
    json = JSON.parse(text)
  } catch {
    json = null
  }
  return { status: res.status, headers: res.headers, json, text }
}
