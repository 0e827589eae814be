/** Keep-alive HTTP client on loopback (undici), with the API key the app issued. */
import { Pool, type Dispatcher } from 'undici'
import { onCleanup } from './cleanup'

export interface ApiResponse<T = any> {
  status: number
  json: T
}

export class Api {
  readonly dispatcher: Dispatcher
  constructor(
    readonly baseUrl: string,
    readonly key: string,
    connections = 1,
  ) {
    // Keep-alive, one request per connection at a time (no pipelining), like ordinary HTTP clients.
    this.dispatcher = new Pool(baseUrl, { connections, pipelining: 1, keepAliveTimeout: 60_000 })
    onCleanup('close HTTP connections', () => this.close())
  }

  #closed = false
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.dispatcher.close()
  }

  async post<T = any>(path: string, body: unknown): Promise<ApiResponse<T>> {
    const res = await this.dispatcher.request({
      path,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.key}` },
      body: JSON.stringify(body),
    })
    const text = await res.body.text()
    return { status: res.statusCode, json: text ? JSON.parse(text) : null }
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Dispatcher.ResponseData> {
    return this.dispatcher.request({
      path,
      method: 'GET',
      headers: { authorization: `Bearer ${this.key}`, ...headers },
    })
  }
}

/** Throws with the server's answer unless the status is the expected one. */
export function expectStatus(res: ApiResponse, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.json).slice(0, 500)}`)
}
