import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import {
  createApiConfig,
  createCaller,
  createContext,
  deliverWebhook,
  issueSession,
  recordUsage,
  verifyWebhookSignature,
} from '@costwise/api'
import { alertRouting, budgets, jobs, notifications, teams, users, type Db } from '@costwise/db'
import { createTestDb, type TestDb } from '@costwise/db/test-db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorker, type WorkerHandle } from './runner'
import { startSmtp, until } from './testing'

interface Received {
  path: string
  delivery: string | undefined
  event: string | undefined
  body: string
  signatureValid: boolean
  answered: number
}

/** A real HTTP receiver that checks each request's signature and fails the first one it gets on /hook. */
async function receiver(secretFor: (path: string) => string | undefined) {
  const received: Received[] = []
  let hookCalls = 0
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const path = req.url ?? ''
      const secret = secretFor(path)
      const signatureValid =
        secret !== undefined &&
        verifyWebhookSignature(secret, body, {
          timestamp: req.headers['x-costwise-timestamp'] as string,
          signature: req.headers['x-costwise-signature'] as string,
        })
      const failFirst = path === '/hook' && hookCalls++ === 0
      const answered = !signatureValid ? 401 : failFirst ? 503 : 200
      received.push({
        path,
        delivery: req.headers['x-costwise-delivery'] as string,
        event: req.headers['x-costwise-event'] as string,
        body,
        signatureValid,
        answered,
      })
      res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 200 ? 'ok' : 'try again later')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise<void>((r) => server.close(() => r())) }
}

describe('alert routing and channels', () => {
  let t: TestDb
  let db: Db
  let smtp: Awaited<ReturnType<typeof startSmtp>>
  let hooks: Awaited<ReturnType<typeof receiver>>
  let worker: WorkerHandle
  const secrets = new Map<string, string>()
  // The test's receiver is on loopback: a web process may save it only when started with the setting (as
  // WEBHOOK_ALLOW_PRIVATE_NETWORKS=1 does).
  const allowLoopback = createApiConfig({ webhooks: { allowPrivateNetworks: true } })

  beforeAll(async () => {
    t = await createTestDb()
    db = t.db
    smtp = await startSmtp()
    hooks = await receiver((path) => secrets.get(path))
    worker = await startWorker({
      connectionString: t.url,
      pollInterval: 100,
      logLevel: 'silent',
      alertDigestSeconds: 0, // alert emails at once (the digest window has its own test)
      smtpUrl: smtp.url,
      appUrl: 'http://costwise.test',
      webhookAllowPrivateNetworks: true,
    })
  })
  afterAll(async () => {
    await worker?.stop()
    await hooks?.close()
    await smtp?.close()
    await t?.destroy()
  })

  it('a crossed threshold reaches the route’s people, addresses, a signed webhook (retried after a failure) and Slack, each once', async () => {
    const team = await teams.insertTeam(db, { slug: 'routed', name: 'Routed', plan: 'enterprise' })
    const ids: Record<string, string> = {}
    for (const [mail, role] of [
      ['owner@r.test', 'owner'],
      ['admin@r.test', 'admin'],
      ['dev@r.test', 'member'],
    ] as const) {
      const u = await users.insertUser(db, { email: mail, name: mail, passwordHash: 'x' })
      await teams.upsertMember(db, team.id, u.id, role)
      ids[mail] = u.id
    }
    const owner = createCaller(
      await createContext({
        db,
        sessionToken: (await issueSession(db, ids['owner@r.test']!)).token,
        config: allowLoopback,
      }),
    )
    const hook = await owner.alertRouting.saveChannel({ kind: 'webhook', name: 'Ops hook', url: `${hooks.url}/hook` })
    const slack = await owner.alertRouting.saveChannel({ kind: 'slack', name: '#costs', url: `${hooks.url}/slack` })
    secrets.set('/hook', hook.secret!)
    secrets.set('/slack', slack.secret!)
    // The team budget with a member's allocation; the allocation's own route tells the member and finance.
    const teamBudget = await owner.budgets.save({
      name: 'Team',
      scope: 'team',
      period: 'month',
      limitUsd: '100',
      mode: 'soft',
      thresholds: [90],
    })
    const { allocations } = await owner.budgets.setAllocations({
      budgetId: teamBudget.id,
      members: [{ userId: ids['dev@r.test']!, limitUsd: '1', mode: 'soft' }],
    })
    await owner.alertRouting.saveRoute({
      budgetId: allocations[0]!.id,
      notifyOwners: false,
      notifyAdmins: true,
      notifyMember: true,
      addresses: ['finance@r.test'],
      viaEmail: true,
      viaInApp: true,
      channelIds: [hook.channel.id, slack.channel.id],
    })
    const allocation = (await budgets.findBudget(db, team.id, allocations[0]!.id))!
    expect(allocation.thresholds).toEqual([90])

    // gpt-4o-mini input: $0.15 per 1M tokens; 7M = $1.05: the allocation crosses 90 %.
    await recordUsage(db, { ...team, role: 'member', userId: ids['dev@r.test']!, apiKeyId: null }, [
      { model: 'gpt-4o-mini', inputTokens: 7_000_000, outputTokens: 0 },
    ])

    await until(async () => smtp.received.length >= 3 && smtp.received)
    const hookDeliveries = await until(async () => {
      const log = await alertRouting.listDeliveries(db, team.id, { channelId: hook.channel.id, limit: 10 })
      return log.length === 1 && log[0]!.status === 'delivered' && log
    })
    await until(
      async () =>
        (await alertRouting.listDeliveries(db, team.id, { channelId: slack.channel.id, limit: 10 }))[0]?.status ===
        'delivered',
    )

    // Email: admin, the member concerned and the listed address; not the owner (the route leaves owners out).
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['admin@r.test', 'dev@r.test', 'finance@r.test'])
    // In-app: the people (the address is not a member).
    const inApp = await notifications.listByPrefix(db, 'alert:')
    expect(inApp.map((n) => n.userId).sort()).toEqual([ids['admin@r.test'], ids['dev@r.test']].sort())

    // The webhook failed once (503), was retried by graphile-worker with backoff, and went through; every request signed.
    const hookCalls = hooks.received.filter((r) => r.path === '/hook')
    expect(hookCalls.map((r) => [r.signatureValid, r.answered])).toEqual([
      [true, 503],
      [true, 200],
    ])
    expect(new Set(hookCalls.map((r) => r.delivery))).toEqual(new Set([hookDeliveries[0]!.id]))
    expect(hookCalls[0]!.event).toBe('alert.threshold_crossed')
    const payload = JSON.parse(hookCalls[1]!.body) as {
      id: string
      type: string
      data: { threshold: number; budget: { name: string }; spentUsd: string }
    }
    expect(payload).toMatchObject({
      id: hookDeliveries[0]!.id,
      type: 'alert.threshold_crossed',
      data: { threshold: 90, budget: { name: allocation.name } },
    })
    expect(hookDeliveries[0]).toMatchObject({ attempts: 2, lastStatusCode: 200 })
    const attempts = await alertRouting.listAttempts(db, hookDeliveries[0]!.id)
    expect(attempts.map((a) => [a.ok, a.statusCode])).toEqual([
      [false, 503],
      [true, 200],
    ])
    // Slack gets its incoming-webhook message.
    const slackCalls = hooks.received.filter((r) => r.path === '/slack')
    expect(slackCalls).toHaveLength(1)
    expect(JSON.parse(slackCalls[0]!.body)).toEqual({ text: expect.stringContaining('reached 90%') })

    // The same alert's job again (a retry, or the sweep after a crash) repeats nothing.
    const before = { mail: smtp.received.length, hooks: hooks.received.length }
    const [alert] = await db.selectFrom('usage_alerts').select('id').execute()
    await jobs.enqueueJob(db, 'alert__notify', { alertId: alert!.id })
    await until(async () => (await jobs.listPendingJobs(db)).length === 0)
    await new Promise((r) => setTimeout(r, 300))
    expect({ mail: smtp.received.length, hooks: hooks.received.length }).toEqual(before)
    expect(await notifications.listByPrefix(db, 'alert:')).toHaveLength(2)

    // "Send test" goes through the same path and is logged.
    const sent = await owner.alertRouting.testChannel({ id: slack.channel.id })
    await until(async () => hooks.received.some((r) => r.delivery === sent.deliveryId && r.answered === 200))
    const log = await owner.alertRouting.deliveries({ channelId: slack.channel.id })
    expect(log.map((d) => [d.event, d.status])).toEqual([
      ['test', 'delivered'],
      ['alert.threshold_crossed', 'delivered'],
    ])
  })

  it('SSRF: without the setting, private and loopback addresses are refused when saved and when sent', async () => {
    const team = await teams.insertTeam(db, { slug: 'guarded', name: 'Guarded', plan: 'enterprise' })
    const u = await users.insertUser(db, { email: 'owner@g.test', name: 'O', passwordHash: 'x' })
    await teams.upsertMember(db, team.id, u.id, 'owner')
    const session = (await issueSession(db, u.id)).token
    // A web process started without the setting (the default).
    const guarded = createCaller(await createContext({ db, sessionToken: session }))
    for (const url of [
      'http://127.0.0.1:9/x',
      'http://localhost/x',
      'http://169.254.169.254/latest/meta-data',
      'http://10.1.2.3/',
      'http://[::1]/',
      'http://[::ffff:192.168.0.1]/',
    ]) {
      await expect(guarded.alertRouting.saveChannel({ kind: 'webhook', name: 'x', url })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        cause: { field: 'url' },
      })
    }
    await expect(
      guarded.alertRouting.saveChannel({ kind: 'slack', name: 'x', url: 'http://hooks.example.com/x' }),
    ).rejects.toMatchObject({ cause: { field: 'url' } })
    await expect(
      guarded.alertRouting.saveChannel({ kind: 'webhook', name: 'x', url: 'https://user:pw@hooks.example.com/' }),
    ).rejects.toMatchObject({ cause: { field: 'url' } })
    const owner = createCaller(await createContext({ db, sessionToken: session, config: allowLoopback }))
    // A channel saved while allowed, sent by a worker that is not: refused at send time, logged, nothing sent.
    const channel = await owner.alertRouting.saveChannel({
      kind: 'webhook',
      name: 'local',
      url: `${hooks.url}/guarded`,
    })
    const count = hooks.received.length
    const deliveryId = randomUUID()
    await alertRouting.queueDeliveries(db, [
      {
        id: deliveryId,
        teamId: team.id,
        channelId: channel.channel.id,
        dedupeKey: `test:${deliveryId}`,
        event: 'test',
        payload: { id: deliveryId },
      },
    ])
    const result = await deliverWebhook(db, deliveryId, { policy: { allowPrivateNetworks: false } })
    expect(result).toMatchObject({ status: 'failed', error: expect.stringContaining('private address') })
    expect((await alertRouting.listAttempts(db, deliveryId)).map((a) => a.ok)).toEqual([false])
    expect(hooks.received.length).toBe(count)
  })
})
