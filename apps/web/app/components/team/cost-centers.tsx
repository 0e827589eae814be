import { getFormProps, getInputProps, useForm, type SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { keySplitFormSchema } from '@costwise/core/allocation/input'
import { Form, Link, useActionData } from '@remix-run/react'
import { useId } from 'react'
import type { CostCentersActionData, loadCostCentersPage } from '../../cost-centers.server'
import { Card } from '../card'
import { EmptyState } from '../empty-state'
import { ScaleIcon } from '../icons'
import { PageHeader } from '../page-header'
import { buttonPrimary, buttonSecondary, cardSubtitle, cardTitle, linkClass, selectClass, td } from '../usage/styles'
import { controlAria, errorText as fieldError, fieldErrorClass } from '../ui/field'
import { ActionNotice, type Answer } from './action-notice'
import { TableHead } from '../ui/table-head'

type Data = Awaited<ReturnType<typeof loadCostCentersPage>>
type Open = Extract<Data, { locked: false }>

const errorText = 'mt-1 text-sm text-red-700 dark:text-red-300'

export function CostCentersPage({ data }: { data: Data }) {
  const posted = useActionData<CostCentersActionData>()
  // A refused key split shows its error in that key's form; every other answer at the top.
  const split = posted && 'reply' in posted ? posted : undefined
  const answer = split ? undefined : posted
  const header = (
    <PageHeader
      title="Cost centres"
      description="Departments and projects that pay for usage. Members, prompts and API keys are assigned to one (a key can be split by percentage); an event may name one with costCenter."
      actions={
        <Link to="/dashboard/reports" className={linkClass}>
          Cost allocation report
        </Link>
      }
    />
  )
  if (data.locked) {
    return (
      <>
        {header}
        <EmptyState
          testId="cost-centers-locked"
          title="Cost allocation is part of the Enterprise plan"
          icon={<ScaleIcon className="h-6 w-6" />}
        >
          <p>
            Your team is on the {data.plan === 'pro' ? 'Pro' : 'Free'} plan. On Enterprise you define cost centres,
            assign members, prompts and keys to them, and get a monthly cost allocation report (CSV and PDF) whose lines
            add up to the team total exactly.
          </p>
        </EmptyState>
      </>
    )
  }
  const active = data.costCenters.filter((c) => !c.archived)
  return (
    <>
      {header}
      <ActionNotice answer={answer} testId="cost-centers-notice" />
      <div className="space-y-6">
        <CentersCard data={data} answer={answer} />
        {active.length > 0 ? (
          <>
            <AssignCard
              title="Members"
              intent="assignMember"
              rows={data.people.map((p) => ({
                id: p.userId,
                label: p.label,
                current: data.members.find((m) => m.userId === p.userId)?.costCenterId ?? '',
              }))}
              centers={active}
              canEdit={data.canEdit}
            />
            <AssignCard
              title="Prompts"
              intent="assignPrompt"
              rows={data.promptList.map((p) => ({
                id: p.id,
                label: p.name,
                current: data.prompts.find((x) => x.promptId === p.id)?.costCenterId ?? '',
              }))}
              centers={active}
              canEdit={data.canEdit}
            />
            {data.canEdit ? <KeysCard data={data} refused={split} /> : null}
          </>
        ) : null}
      </div>
    </>
  )
}

function CentersCard({ data, answer }: { data: Open; answer?: Answer }) {
  const id = useId()
  const refused = answer && !answer.ok && answer.intent === 'save' && !answer.target ? answer : null
  return (
    <Card className="p-5">
      <h2 className={cardTitle}>Cost centres</h2>
      {data.costCenters.length === 0 ? (
        <p className={cardSubtitle} data-testid="cost-centers-empty">
          None yet. Add your departments or projects; usage nobody is assigned to shows as “unallocated”.
        </p>
      ) : (
        <ul className="mt-3 divide-y divide-gray-100 dark:divide-gray-800">
          {data.costCenters.map((c) => (
            <li
              key={c.id}
              className="flex flex-wrap items-center justify-between gap-3 py-2 text-sm"
              data-testid="cost-center-row"
              data-code={c.code}
            >
              <span>
                <span className="font-medium text-gray-900 dark:text-gray-100">{c.name}</span>{' '}
                <code className="text-gray-600 dark:text-gray-400">{c.code}</code>
                {c.archived ? <span className="ml-2 text-xs text-gray-500">archived</span> : null}
              </span>
              {data.canEdit ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="save" />
                  <input type="hidden" name="id" value={c.id} />
                  <input type="hidden" name="code" value={c.code} />
                  <input type="hidden" name="name" value={c.name} />
                  <input type="hidden" name="archived" value={c.archived ? 'false' : 'true'} />
                  <button type="submit" className={buttonSecondary}>
                    {c.archived ? 'Restore' : 'Archive'}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {data.canEdit ? (
        <Form method="post" className="mt-4 flex flex-wrap items-start gap-3" aria-label="Add a cost centre" noValidate>
          <input type="hidden" name="intent" value="save" />
          <div>
            <label htmlFor={`${id}-code`} className="block text-sm font-medium text-gray-800 dark:text-gray-200">
              Code
            </label>
            <input
              id={`${id}-code`}
              name="code"
              autoComplete="off"
              placeholder="eng"
              aria-invalid={refused?.field === 'code' ? true : undefined}
              className={`${selectClass} mt-1 w-36`}
            />
            {refused?.field === 'code' ? <p className={errorText}>{refused.message}</p> : null}
          </div>
          <div className="min-w-[14rem] flex-1">
            <label htmlFor={`${id}-name`} className="block text-sm font-medium text-gray-800 dark:text-gray-200">
              Name
            </label>
            <input
              id={`${id}-name`}
              name="name"
              autoComplete="off"
              placeholder="Engineering"
              aria-invalid={refused?.field === 'name' ? true : undefined}
              className={`${selectClass} mt-1`}
            />
            {refused?.field === 'name' ? <p className={errorText}>{refused.message}</p> : null}
          </div>
          <button type="submit" className={`${buttonPrimary} mt-6`}>
            Add cost centre
          </button>
        </Form>
      ) : null}
    </Card>
  )
}

function AssignCard({
  title,
  intent,
  rows,
  centers,
  canEdit,
}: {
  title: string
  intent: 'assignMember' | 'assignPrompt'
  rows: { id: string; label: string; current: string }[]
  centers: Open['costCenters']
  canEdit: boolean
}) {
  const name = new Map(centers.map((c) => [c.id, c.name]))
  return (
    <Card className="p-5">
      <h2 className={cardTitle}>{title}</h2>
      {rows.length === 0 ? <p className={cardSubtitle}>Nothing to assign yet.</p> : null}
      <ul className="mt-3 divide-y divide-gray-100 dark:divide-gray-800">
        {rows.map((r) => (
          <li
            key={r.id}
            className="flex flex-wrap items-center justify-between gap-3 py-2 text-sm"
            data-testid={`${intent}-row`}
          >
            <span className="font-medium text-gray-900 dark:text-gray-100">{r.label}</span>
            {canEdit ? (
              <Form method="post" className="flex items-center gap-2" aria-label={`Cost centre of ${r.label}`}>
                <input type="hidden" name="intent" value={intent} />
                <input type="hidden" name="target" value={r.id} />
                <select
                  name="costCenterId"
                  defaultValue={r.current}
                  aria-label={`Cost centre of ${r.label}`}
                  className={`${selectClass} w-48`}
                >
                  <option value="">None</option>
                  {centers.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
                <button type="submit" className={buttonSecondary}>
                  Save
                </button>
              </Form>
            ) : (
              <span>{name.get(r.current) ?? 'None'}</span>
            )}
          </li>
        ))}
      </ul>
    </Card>
  )
}

function KeysCard({
  data,
  refused,
}: {
  data: Open
  refused?: { target: string; reply: SubmissionResult } | undefined
}) {
  return (
    <Card className="overflow-hidden">
      <div className="p-5 pb-3">
        <h2 className={cardTitle}>API keys</h2>
        <p className={cardSubtitle}>
          Write the split as codes and percentages adding up to 100, e.g. “eng 60, ops 40”; one code alone takes it all;
          empty: none.
        </p>
      </div>
      {data.keys.length === 0 ? (
        <p className="px-5 pb-5 text-sm text-gray-600 dark:text-gray-400">No active API keys.</p>
      ) : (
        <table className="min-w-full divide-y divide-gray-200 dark:divide-gray-800">
          <TableHead columns={['Key', 'Split']} />
          <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
            {data.keys.map((k) => (
              <tr key={k.id}>
                <td className={td}>{k.name}</td>
                <td className={td}>
                  <KeySplitForm apiKey={k} data={data} refused={refused?.target === k.id ? refused.reply : undefined} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  )
}

/** One key's split; core's key split schema reads it against the team's cost centres, in the browser and the action. */
function KeySplitForm({
  apiKey: k,
  data,
  refused,
}: {
  apiKey: Open['keys'][number]
  data: Open
  refused: SubmissionResult | undefined
}) {
  const code = new Map(data.costCenters.map((c) => [c.id, c.code]))
  const current = data.apiKeys.find((a) => a.apiKeyId === k.id)?.shares ?? []
  const [form, fields] = useForm({
    id: `key-split-${k.id}`,
    lastResult: refused,
    defaultValue: {
      target: k.id,
      shares: current.map((s) => `${code.get(s.costCenterId) ?? '?'} ${s.percent}`).join(', '),
    },
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: keySplitFormSchema(data.costCenters) }),
  })
  const error = fieldError(fields.shares) ?? fieldError(fields.target) ?? form.errors?.[0]
  const aria = controlAria(fields.shares, false)
  return (
    <Form method="post" {...getFormProps(form)} className="flex items-start gap-2" aria-label={`Split of ${k.name}`}>
      <input type="hidden" name="intent" value="assignKey" />
      <input {...getInputProps(fields.target, { type: 'hidden' })} />
      <div>
        <input
          {...getInputProps(fields.shares, { type: 'text' })}
          {...aria}
          aria-describedby={error ? fields.shares.errorId : undefined}
          aria-label={`Split of ${k.name}`}
          autoComplete="off"
          className={`${selectClass} w-64`}
        />
        {error ? (
          <p id={fields.shares.errorId} className={fieldErrorClass} data-field-error={fields.shares.name}>
            {error}
          </p>
        ) : null}
      </div>
      <button type="submit" className={buttonSecondary}>
        Save
      </button>
    </Form>
  )
}
