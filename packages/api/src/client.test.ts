import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { teams, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { TRPCClientError } from '@trpc/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from './auth/api-keys'
import { createCostwiseClient } from './client'
import { handleTrpcRequest } from './http'

/** A real HTTP server on loopback that serves /api/trpc the way the web app does. */
function serve(db: Db): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    const url = `http://${req.headers.host}${req.url}`
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : (Readable.toWeb(req) as ReadableStream)
    const request = new Request(url, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body,
      duplex: 'half',
    } as RequestInit)
    const response = await handleTrpcRequest(db, request)
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(Buffer.from(await response.arrayBuffer()))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

describe('createCostwiseClient', () => {
  let t: TestDb
  let server: http.Server
  let url: string
  let key: string

  beforeAll(async () => {
    t = await createTestDb()
    const team = await teams.insertTeam(t.db, { slug: 'client-team', name: 'Client' })
    key = (await createApiKey(t.db, { teamId: team.id, name: 'sdk' })).key
    server = await serve(t.db)
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((r) => server.close(r))
    await t.destroy()
  })

  it('tracks usage and reads stats over HTTP with an API key, fully typed', async () => {
    const costwise = createCostwiseClient({ url, apiKey: key })
    const tracked = await costwise.usage.track.mutate({
      model: 'gpt-4o-mini',
      inputTokens: 2000,
      outputTokens: 500,
      idempotencyKey: 'sdk-1',
    })
    expect(tracked).toMatchObject({ duplicate: false, unpriced: false })
    const again = await costwise.usage.track.mutate({
      model: 'gpt-4o-mini',
      inputTokens: 2000,
      outputTokens: 500,
      idempotencyKey: 'sdk-1',
    })
    expect(again.duplicate).toBe(true)
    const stats = await costwise.usage.stats.query({ groupBy: 'model' })
    expect(stats.totals).toMatchObject({ runs: 1, costUsd: tracked.costUsd })
    expect(stats.groups[0]).toMatchObject({ key: 'gpt-4o-mini' })
  })

  it('a wrong key fails with UNAUTHORIZED', async () => {
    const costwise = createCostwiseClient({ url, apiKey: 'cw_nope' })
    const error = await costwise.usage.stats.query({}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TRPCClientError)
    expect((error as TRPCClientError<never>).data).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 })
  })
})
