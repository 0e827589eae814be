import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { useFetcher, useNavigate } from '@remix-run/react'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { reportFormSchema, type ReportFormValues } from '../../lib/report-form'
import type { BuilderIntent, PreviewView, ReportActionData } from '../../reports.server'

/** The fields that make up a report's definition: when one changes, the preview on screen is out of date. */
const DEFINITION_FIELDS = [
  'metrics',
  'groupBy',
  'rangeKind',
  'preset',
  'from',
  'to',
  'model',
  'provider',
  'feature',
  'tags',
] as const

/**
 * The report builder's state: the form, checked with core's `reportFormSchema` through Conform as each field is left
 * and on submit (the action parses the post with the same schema), posted through a fetcher; the action's answer
 * (errors on the fields, a preview, a saved or queued report) and what to say about it.
 */
export function useReportBuilder({
  initial,
  initialNotice,
  editing,
}: {
  initial: ReportFormValues
  initialNotice?: string | null
  editing: boolean
}) {
  const fetcher = useFetcher<ReportActionData>()
  const navigate = useNavigate()
  const data = fetcher.data
  const [form, fields] = useForm({
    id: `report-form-${initial.id || 'new'}`,
    lastResult: data && 'result' in data ? data.result : undefined,
    defaultValue: initial,
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: reportFormSchema }),
  })

  // The preview stays on screen until the definition changes; then it says it is out of date.
  const values = (form.value ?? {}) as Record<string, unknown>
  const definitionKey = JSON.stringify(DEFINITION_FIELDS.map((f) => values[f] ?? ''))
  const submittedKey = useRef('')
  const [preview, setPreview] = useState<{ key: string; view: PreviewView } | null>(null)
  const [notice, setNotice] = useState<string | null>(initialNotice ?? null)

  useEffect(() => {
    if (!data?.ok) return
    if (data.intent === 'preview') setPreview({ key: submittedKey.current, view: data.preview })
    if (data.intent === 'send')
      setNotice('Report queued — it appears in the run history below and in the outbox once sent.')
    if (data.intent === 'save') {
      setNotice(`Saved “${data.savedName}”.`)
      // An edited report is saved: leave editing. A new one is in the list and the form starts afresh.
      if (editing) navigate(`?${new URLSearchParams({ saved: data.savedName })}`, { preventScrollReset: true })
      else setPreview(null)
    }
  }, [data, editing, navigate])

  const busy = fetcher.state !== 'idle'
  const pending = busy ? (fetcher.formData?.get('intent') as BuilderIntent | null) : null
  const formProps = getFormProps(form)

  return {
    fetcher,
    form,
    fields,
    formProps: {
      ...formProps,
      onSubmit: (event: FormEvent<HTMLFormElement>) => {
        setNotice(null)
        submittedKey.current = definitionKey
        formProps.onSubmit(event)
      },
    },
    busy,
    pending,
    notice,
    preview: preview ? { view: preview.view, stale: preview.key !== definitionKey } : null,
  }
}

export type ReportBuilderState = ReturnType<typeof useReportBuilder>
