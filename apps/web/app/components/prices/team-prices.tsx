import { useFetcher } from '@remix-run/react'
import { useId, type ReactNode } from 'react'
import type { PricesActionData } from '../../prices.server'
import { Card } from '../card'
import { Field, useFieldMeta } from '../ui/field'

export interface PriceTableView {
  catalogVersion: string
  overrides: {
    id: string
    model: string
    effectiveFrom: string
    effectiveTo: string | null
    inputPerMTok: string
    outputPerMTok: string
    cachedInputPerMTok: string | null
  }[]
  imported: {
    id: string
    model: string
    provider: string
    effectiveFrom: string
    inputPerMTok: string
    outputPerMTok: string
    sourceUrl: string | null
  }[]
  discounts: {
    id: string
    provider: string | null
    model: string | null
    percent: string
    effectiveFrom: string
    effectiveTo: string | null
    note: string | null
  }[]
  mappings: { name: string; model: string }[]
}

const input =
  'mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm dark:border-gray-700 dark:bg-gray-950'
const button =
  'rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50'
const th = 'py-2 pr-4 text-xs font-medium uppercase text-gray-500'
const td = 'py-2 pr-4 text-sm'

/** USD per 1M tokens, trailing zeros trimmed (`2.500000000` → `$2.50`). */
function perM(value: string | null): string {
  if (value === null) return '—'
  const n = value.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')
  const [w, f = ''] = n.split('.')
  return `$${w}${f ? `.${f.padEnd(2, '0')}` : ''}`
}
const pct = (p: string) => `${Number(p)} %`
const period = (from: string, to: string | null) => (to ? `${from} – ${to}` : `from ${from}`)

function Section({
  id,
  title,
  description,
  children,
}: {
  id: string
  title: string
  description: ReactNode
  children: ReactNode
}) {
  return (
    <Card className="p-5" data-testid={id}>
      <h2 className="text-base font-semibold" id={`${id}-title`}>
        {title}
      </h2>
      <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">{description}</p>
      {children}
    </Card>
  )
}

/** A table of this page: column headers (an empty one is the actions column), then the rows. */
function Table({ headers, children }: { headers: string[]; children: ReactNode }) {
  return (
    <div className="mt-3 overflow-x-auto">
      <table className="w-full text-left">
        <thead>
          <tr>
            {headers.map((h) => (
              <th key={h || 'actions'} className={th}>
                {h || <span className="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  )
}

/** A price form's input in the one Field (these forms report a refusal once, below the form). */
function PriceInput({
  label,
  name,
  ...rest
}: { label: string; name: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field meta={useFieldMeta(name)} label={label}>
      {(aria) => <input {...aria} name={name} className={input} {...rest} />}
    </Field>
  )
}

function Result({ fetcher }: { fetcher: ReturnType<typeof useFetcher<PricesActionData>> }) {
  const result = fetcher.data
  if (!result || fetcher.state !== 'idle') return null
  return result.ok ? (
    <p role="status" className="mt-2 text-sm text-emerald-700 dark:text-emerald-300">
      Saved.
    </p>
  ) : (
    <p role="alert" className="mt-2 text-sm text-red-600" data-testid="price-error">
      {result.message}
    </p>
  )
}

function RemoveButton({ intent, name, value, label }: { intent: string; name: string; value: string; label: string }) {
  const fetcher = useFetcher<PricesActionData>()
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name={name} value={value} />
      <button
        type="submit"
        className="text-sm text-red-600 hover:underline"
        aria-label={label}
        disabled={fetcher.state !== 'idle'}
      >
        Remove
      </button>
    </fetcher.Form>
  )
}

/** The team's negotiated prices: discounts, custom prices and its own model names, with the imported list prices. */
export interface UnpricedModelView {
  model: string
  rows: number
  firstDay: string
  lastDay: string
}

/** Models sent without a price: an admin prices one here and its rows are re-priced by a worker job. */
function UnpricedModels({ unpriced, canEdit }: { unpriced: UnpricedModelView[]; canEdit: boolean }) {
  return (
    <Section
      id="price-unpriced"
      title="Models without a price"
      description="Usage of these models is recorded at $0 until they have a price. Add your price and the recorded rows are re-priced (budgets and dashboards follow)."
    >
      <ul className="mt-3 space-y-4">
        {unpriced.map((m) => (
          <UnpricedModelRow key={m.model} model={m} canEdit={canEdit} />
        ))}
      </ul>
    </Section>
  )
}

function UnpricedModelRow({ model: m, canEdit }: { model: UnpricedModelView; canEdit: boolean }) {
  const fetcher = useFetcher<PricesActionData>()
  const done = fetcher.state === 'idle' && fetcher.data?.ok ? fetcher.data : null
  return (
    <li
      className="border-t border-gray-100 pt-3 first:border-t-0 first:pt-0 dark:border-gray-800"
      data-testid="unpriced-model"
    >
      <p className="text-sm">
        <span className="break-all font-mono font-medium">{m.model}</span>{' '}
        <span className="text-gray-600 dark:text-gray-400">
          · {m.rows.toLocaleString('en-US')} unpriced row{m.rows === 1 ? '' : 's'} ·{' '}
          {m.firstDay === m.lastDay ? m.firstDay : `${m.firstDay} – ${m.lastDay}`}
        </span>
      </p>
      {canEdit ? (
        <fetcher.Form
          method="post"
          className="mt-2 grid gap-3 sm:grid-cols-4 sm:items-end"
          aria-label={`Price ${m.model}`}
        >
          <input type="hidden" name="intent" value="price-unpriced" />
          <input type="hidden" name="model" value={m.model} />
          <PriceInput
            label="Input, $ per 1M tokens"
            name="inputPerMTok"
            inputMode="decimal"
            required
            placeholder="e.g. 2.50"
          />
          <PriceInput
            label="Output, $ per 1M tokens"
            name="outputPerMTok"
            inputMode="decimal"
            required
            placeholder="e.g. 10"
          />
          <PriceInput label="From" name="effectiveFrom" type="date" required defaultValue={m.firstDay} />
          <button type="submit" className={button} disabled={fetcher.state !== 'idle'}>
            {fetcher.state !== 'idle' ? 'Saving…' : 'Save price and re-price'}
          </button>
        </fetcher.Form>
      ) : null}
      {done?.repricing ? (
        <p role="status" className="mt-2 text-sm text-emerald-700 dark:text-emerald-300" data-testid="reprice-queued">
          Price saved. Re-pricing {done.repricing.unpricedRows.toLocaleString('en-US')} unpriced row
          {done.repricing.unpricedRows === 1 ? '' : 's'} in the background; reload in a moment to see the new costs.
        </p>
      ) : fetcher.data && !fetcher.data.ok && fetcher.state === 'idle' ? (
        <p role="alert" className="mt-2 text-sm text-red-600" data-testid="price-error">
          {fetcher.data.message}
        </p>
      ) : null}
    </li>
  )
}

export function TeamPrices({
  table,
  canEdit,
  models,
  unpriced = [],
}: {
  table: PriceTableView
  canEdit: boolean
  models: { id: string; displayName: string }[]
  unpriced?: UnpricedModelView[]
}) {
  const discount = useFetcher<PricesActionData>()
  const custom = useFetcher<PricesActionData>()
  const mapping = useFetcher<PricesActionData>()
  const listId = useId()
  return (
    <div className="space-y-6">
      <datalist id={listId}>
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.displayName}
          </option>
        ))}
      </datalist>

      {unpriced.length ? <UnpricedModels unpriced={unpriced} canEdit={canEdit} /> : null}

      <Section
        id="price-discounts"
        title="Discounts"
        description="A percentage off list prices for a whole provider or one model, for the dates of your agreement. Tracking, budgets, the Lab and estimates use it."
      >
        {table.discounts.length === 0 ? (
          <p className="mt-3 text-sm text-gray-600 dark:text-gray-400">No discounts: list prices apply.</p>
        ) : (
          <Table headers={['For', 'Discount', 'Dates', 'Note', '']}>
            {table.discounts.map((d) => (
              <tr key={d.id} className="border-t border-gray-100 dark:border-gray-800" data-testid="discount-row">
                <td className={td}>{d.provider ? `All ${d.provider} models` : d.model}</td>
                <td className={`${td} tabular-nums`}>{pct(d.percent)}</td>
                <td className={td}>{period(d.effectiveFrom, d.effectiveTo)}</td>
                <td className={td}>{d.note ?? ''}</td>
                <td className={td}>
                  {canEdit ? (
                    <RemoveButton
                      intent="remove-discount"
                      name="id"
                      value={d.id}
                      label={`Remove the discount for ${d.provider ?? d.model}`}
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </Table>
        )}
        {canEdit ? (
          <discount.Form method="post" className="mt-4 grid gap-3 sm:grid-cols-6 sm:items-end">
            <input type="hidden" name="intent" value="add-discount" />
            <div>
              <label className="block text-sm font-medium" htmlFor={`${listId}-target`}>
                For
              </label>
              <select id={`${listId}-target`} name="target" className={input} defaultValue="provider">
                <option value="provider">A provider</option>
                <option value="model">A model</option>
              </select>
            </div>
            <PriceInput label="Provider or model" name="name" required placeholder="openai" list={listId} />
            <PriceInput label="Discount %" name="percent" required inputMode="decimal" placeholder="12.5" />
            <PriceInput label="From" name="effectiveFrom" type="date" required />
            <PriceInput label="To (optional)" name="effectiveTo" type="date" />
            <button type="submit" className={button} disabled={discount.state !== 'idle'}>
              Add discount
            </button>
          </discount.Form>
        ) : null}
        <Result fetcher={discount} />
      </Section>

      <Section
        id="price-custom"
        title="Custom prices"
        description="Your own price per 1M tokens for a model (a negotiated rate, a fine-tune, a self-hosted model). It replaces the list price in its dates."
      >
        {table.overrides.length === 0 ? (
          <p className="mt-3 text-sm text-gray-600 dark:text-gray-400">No custom prices.</p>
        ) : (
          <Table headers={['Model', 'Input', 'Cached', 'Output', 'Dates', '']}>
            {table.overrides.map((o) => (
              <tr key={o.id} className="border-t border-gray-100 dark:border-gray-800" data-testid="custom-price-row">
                <td className={td}>{o.model}</td>
                <td className={`${td} tabular-nums`}>{perM(o.inputPerMTok)}</td>
                <td className={`${td} tabular-nums`}>{perM(o.cachedInputPerMTok)}</td>
                <td className={`${td} tabular-nums`}>{perM(o.outputPerMTok)}</td>
                <td className={td}>{period(o.effectiveFrom, o.effectiveTo)}</td>
                <td className={td}>
                  {canEdit ? (
                    <RemoveButton
                      intent="remove-custom"
                      name="id"
                      value={o.id}
                      label={`Remove the custom price for ${o.model}`}
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </Table>
        )}
        {canEdit ? (
          <custom.Form method="post" className="mt-4 grid gap-3 sm:grid-cols-7 sm:items-end">
            <input type="hidden" name="intent" value="add-custom" />
            <PriceInput label="Model" name="model" required list={listId} />
            <PriceInput label="Input $/1M" name="inputPerMTok" required inputMode="decimal" />
            <PriceInput label="Cached $/1M" name="cachedInputPerMTok" inputMode="decimal" />
            <PriceInput label="Output $/1M" name="outputPerMTok" required inputMode="decimal" />
            <PriceInput label="From" name="effectiveFrom" type="date" required />
            <PriceInput label="To (optional)" name="effectiveTo" type="date" />
            <button type="submit" className={button} disabled={custom.state !== 'idle'}>
              Add price
            </button>
          </custom.Form>
        ) : null}
        <Result fetcher={custom} />
      </Section>

      <Section
        id="price-mappings"
        title="Your model names"
        description={
          <>
            Names your calls use that are not a provider's model name — Azure OpenAI deployment names, for instance.
            Costwise prices <code>azure/&lt;name&gt;</code> and <code>&lt;name&gt;</code> as the model you choose.
          </>
        }
      >
        {table.mappings.length === 0 ? (
          <p className="mt-3 text-sm text-gray-600 dark:text-gray-400">No names mapped.</p>
        ) : (
          <ul className="mt-3 divide-y divide-gray-100 dark:divide-gray-800">
            {table.mappings.map((m) => (
              <li key={m.name} className="flex items-center justify-between py-2 text-sm" data-testid="mapping-row">
                <span>
                  <code>{m.name}</code> is priced as <strong>{m.model}</strong>
                </span>
                {canEdit ? (
                  <RemoveButton
                    intent="remove-mapping"
                    name="name"
                    value={m.name}
                    label={`Remove the mapping of ${m.name}`}
                  />
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {canEdit ? (
          <mapping.Form method="post" className="mt-4 grid gap-3 sm:grid-cols-3 sm:items-end">
            <input type="hidden" name="intent" value="set-mapping" />
            <PriceInput label="Your name (deployment)" name="name" required placeholder="support-prod" />
            <PriceInput label="Is the model" name="model" required list={listId} />
            <button type="submit" className={button} disabled={mapping.state !== 'idle'}>
              Map name
            </button>
          </mapping.Form>
        ) : null}
        <Result fetcher={mapping} />
      </Section>

      <Section
        id="price-imported"
        title="Imported list prices"
        description={
          <>
            List prices loaded with <code>costwise prices import</code>, each from its date; the rest come from the
            built-in catalogue (version {table.catalogVersion}).
          </>
        }
      >
        {table.imported.length === 0 ? (
          <p className="mt-3 text-sm text-gray-600 dark:text-gray-400">None: every list price is the catalogue's.</p>
        ) : (
          <Table headers={['Model', 'Input', 'Output', 'From', 'Source']}>
            {table.imported.map((p) => (
              <tr key={p.id} className="border-t border-gray-100 dark:border-gray-800">
                <td className={td}>{p.model}</td>
                <td className={`${td} tabular-nums`}>{perM(p.inputPerMTok)}</td>
                <td className={`${td} tabular-nums`}>{perM(p.outputPerMTok)}</td>
                <td className={td}>{p.effectiveFrom}</td>
                <td className={`${td} max-w-[16rem] truncate`}>{p.sourceUrl ?? '—'}</td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
    </div>
  )
}
