import { hashPassword } from '@costwise/api'
import { AppError } from '@costwise/core'
import { migrateToLatest } from '@costwise/db'
import { seedDemo } from '@costwise/seed'
import { Command } from 'commander'
import { API_KEY_SCOPES } from '@costwise/core'
import { createTeam, createTeamApiKey, createUser, setTeamPlan } from './commands/admin'
import { pricesImport, usageReprice } from './commands/prices'
import { backupTo, restoreFrom } from './commands/backup'
import { start } from './commands/start'
import { reportSend, usageArchive, usageArchives, usageRestore } from './commands/operations'
import { openDatabase } from './database'
import { readCliEnv } from './env'

const program = new Command()
  .name('costwise')
  .description('Costwise operations: database, demo data, teams, users and API keys.')
  .showHelpAfterError()

/** Runs `fn` with a database (embedded unless DATABASE_URL is set) and closes it afterwards. */
async function withDatabase<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const env = readCliEnv()
  const database = await openDatabase(env, { log: (line) => console.error(line) })
  try {
    return await fn(database)
  } finally {
    await database.close()
  }
}

program
  .command('start')
  .description(
    'Start PostgreSQL (embedded unless DATABASE_URL is set), migrate, seed the demo team, run worker and web app',
  )
  .action(async () => start(readCliEnv()))

program
  .command('migrate')
  .description('Apply pending database migrations')
  .action(() =>
    withDatabase(async ({ db, url }) => {
      const applied = await migrateToLatest(db, url)
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date.')
    }),
  )

program
  .command('seed')
  .description('Create the demo team (slug "demo") with users, prompts and 90 days of usage')
  .action(() =>
    withDatabase(async ({ db, url }) => {
      await migrateToLatest(db, url)
      const result = await seedDemo(db, { hashPassword })
      console.log(
        `Seeded team "demo": ${result.usageRows} usage rows. Log in as ${result.login.email} / ${result.login.password}`,
      )
    }),
  )

program
  .command('backup')
  .description('Write every row of the database, in one consistent snapshot, to a gzip file (see README: Backups)')
  .requiredOption('--out <file>', 'where to write the backup, e.g. costwise-2026-12-02.backup.gz')
  .action((opts: { out: string }) =>
    withDatabase(async ({ db }) => {
      const result = await backupTo(db, opts.out)
      const total = Object.values(result.rows).reduce((a, b) => a + b, 0)
      console.log(
        `Backed up ${total.toLocaleString('en-US')} rows of ${result.tables} tables to ${result.file} (${result.bytes.toLocaleString('en-US')} bytes).`,
      )
    }),
  )

program
  .command('restore')
  .description('Load a backup made by `backup` into an empty database')
  .requiredOption('--from <file>', 'a file written by `cli backup`')
  .action((opts: { from: string }) =>
    withDatabase(async ({ db, url }) => {
      const rows = await restoreFrom(db, url, opts.from)
      await migrateToLatest(db, url)
      const total = Object.values(rows).reduce((a, b) => a + b, 0)
      console.log(
        `Restored ${total.toLocaleString('en-US')} rows of ${Object.keys(rows).length} tables from ${opts.from}; the schema is migrated to the latest version.`,
      )
    }),
  )

const team = program.command('team').description('Manage teams')
team
  .command('create')
  .requiredOption('--slug <slug>', 'URL name, e.g. acme-ai')
  .requiredOption('--name <name>', 'display name')
  .option('--time-zone <zone>', 'IANA time zone for budgets and reports', 'UTC')
  .action((opts: { slug: string; name: string; timeZone: string }) =>
    withDatabase(async ({ db }) => {
      const created = await createTeam(db, opts)
      console.log(`Created team "${created.slug}" (${created.name}), time zone ${created.timeZone}.`)
    }),
  )

team
  .command('set-plan')
  .description(
    "Set a team's plan (free, pro or enterprise); only the operator can, and the team's audit log records it",
  )
  .requiredOption('--team <slug>')
  .requiredOption('--plan <plan>', 'free, pro or enterprise')
  .action((opts: { team: string; plan: string }) =>
    withDatabase(async ({ db }) => {
      const result = await setTeamPlan(db, opts)
      console.log(
        result.previous === result.plan
          ? `Team "${result.team.slug}" is already on ${result.plan}.`
          : `Team "${result.team.slug}" moved from ${result.previous} to ${result.plan}.`,
      )
    }),
  )

const user = program.command('user').description('Manage users')
user
  .command('create')
  .requiredOption('--email <email>')
  .requiredOption('--password <password>')
  .requiredOption('--team <slug>')
  .requiredOption('--role <role>', 'owner, admin, member or viewer')
  .option('--name <name>')
  .action((opts: Record<string, string>) =>
    withDatabase(async ({ db }) => {
      const result = await createUser(db, opts)
      console.log(
        `${result.created ? 'Created' : 'Updated'} ${result.user.email}: ${opts.role} of team "${result.team.slug}".`,
      )
    }),
  )

const apiKey = program.command('api-key').description('Manage API keys')
apiKey
  .command('create')
  .requiredOption('--team <slug>')
  .requiredOption('--name <name>')
  .option(
    '--scopes <list>',
    `comma-separated, from ${API_KEY_SCOPES.join(', ')} (default usage:write,usage:read,budgets:read)`,
  )
  .option('--expires-in-days <n>', 'the key stops working after this many days (default: never)')
  .option('--models <list>', 'comma-separated models the key may use (default: any)')
  .action((opts: { team: string; name: string; scopes?: string; expiresInDays?: string; models?: string }) =>
    withDatabase(async ({ db }) => {
      const result = await createTeamApiKey(db, opts)
      console.log(`Created API key "${result.record.name}" (${result.record.prefix}…) for team "${result.team.slug}".`)
      console.log(
        `Scopes: ${result.record.scopes.join(', ')}` +
          (result.record.expiresAt ? `; expires ${result.record.expiresAt.toISOString()}` : '') +
          (result.record.allowedModels ? `; models: ${result.record.allowedModels.join(', ')}` : ''),
      )
      console.log('It is shown once; store it now:')
      console.log(result.key)
    }),
  )

const usage = program.command('usage').description('Usage data upkeep')
usage
  .command('reprice')
  .description(
    'Price usage again: with --from, every row of the window (UTC days) at the prices in effect now; without, only unpriced rows. Then refresh rollups and budgets',
  )
  .option('--from <YYYY-MM-DD>', 'first day of the window')
  .option('--to <YYYY-MM-DD>', 'last day of the window (default: up to now)')
  .option('--team <slug>', 'only this team')
  .action((opts: Record<string, string>) =>
    withDatabase(async ({ db }) => {
      console.log((await usageReprice(db, opts)).text)
    }),
  )

usage
  .command('archive')
  .description('Archive one month of usage rows to the artefact store (gzip CSV) and drop its partition')
  .requiredOption('--month <YYYY-MM>')
  .action((opts: { month: string }) =>
    withDatabase(async ({ db }) => {
      const result = await usageArchive(db, readCliEnv(), opts.month)
      console.log(
        `Archived ${result.month}: ${result.rows} rows ($${result.costUsd}) to ${result.key} (${result.bytes} bytes).`,
      )
    }),
  )
usage
  .command('restore')
  .description('Load an archived month back into the usage log (row count and cost are checked exactly)')
  .requiredOption('--month <YYYY-MM>')
  .action((opts: { month: string }) =>
    withDatabase(async ({ db }) => {
      const result = await usageRestore(db, readCliEnv(), opts.month)
      console.log(`Restored ${result.month}: ${result.rows} rows ($${result.costUsd}).`)
    }),
  )
usage
  .command('archives')
  .description('List archived months')
  .action(() =>
    withDatabase(async ({ db }) => {
      const list = await usageArchives(db)
      if (list.length === 0) console.log('No archived months.')
      for (const a of list) {
        console.log(
          `${a.month.slice(0, 7)}  ${a.row_count} rows  $${a.cost_usd}  ${a.restored_at ? `restored ${a.restored_at.toISOString()}` : 'archived'}  ${a.artefact_key}`,
        )
      }
    }),
  )

const pricesCommand = program.command('prices').description('List prices')
pricesCommand
  .command('import')
  .description(
    "Compare a price file (LiteLLM's model_prices_and_context_window.json or Costwise's own) with the prices in effect; with --effective, store its prices from that date",
  )
  .argument('<file>', 'the price file (JSON)')
  .option('--effective <YYYY-MM-DD>', 'apply the prices from this date (without it, only show the differences)')
  .option('--format <format>', 'litellm or costwise (default: detected)')
  .option('--new', 'also import models the catalogue does not list')
  .option('--source <url>', 'where the prices come from, recorded on each version')
  .action((file: string, opts: Record<string, string | boolean>) =>
    withDatabase(async ({ db }) => {
      console.log((await pricesImport(db, { ...opts, file })).text)
    }),
  )

const report = program.command('report').description('Reports')
report
  .command('send')
  .description('Send a usage report now (same job and delivery log as the app)')
  .requiredOption('--team <slug>')
  .requiredOption('--to <emails>', 'comma-separated')
  .option('--format <format>', 'pdf or csv', 'pdf')
  .option(
    '--range <range>',
    'yesterday, last-7-days, last-30-days, last-90-days, this-month, last-month',
    'last-7-days',
  )
  .action((opts: Record<string, string>) =>
    withDatabase(async ({ db, url }) => {
      const result = await reportSend(db, url, readCliEnv(), opts)
      if (result.status !== 'done')
        throw new Error(`Report run ${result.runId} ${result.status}: ${result.error ?? 'see the worker log'}`)
      console.log(
        `Report ${result.runId} sent to ${result.recipients.join(', ')} ` +
          (result.transport === 'smtp' ? 'by SMTP.' : '(no SMTP_URL set: it is in the outbox at /dashboard/outbox).'),
      )
    }),
  )

try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof AppError) {
    console.error(`Error: ${error.message}`)
    process.exit(2)
  }
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
}
