import { getCollectionProps, getInputProps, getSelectProps } from '@conform-to/react'
import {
  FEATURES,
  GROUP_BYS,
  GROUP_BY_LABEL,
  METRICS,
  METRIC_LABEL,
  PRESETS,
  PRESET_LABEL,
} from '../../lib/report-form'
import { controlClass, errorText, Field, fieldErrorClass, withPartErrors } from '../ui/field'
import type { ReportBuilderState } from './use-report-builder'

type Fields = ReportBuilderState['fields']

const text = (v: unknown) => (typeof v === 'string' ? v : '')

/** What a report measures: metrics, grouping, period and filters (what Preview builds). */
export function ReportDefinitionFields({
  fields,
  options,
}: {
  fields: Fields
  options: { models: string[]; providers: string[] }
}) {
  const metricsError = errorText(withPartErrors(fields.metrics))
  const fixed = text(fields.rangeKind.value) === 'fixed'
  return (
    <>
      <fieldset aria-describedby={metricsError ? fields.metrics.errorId : undefined}>
        <legend className="text-sm font-medium text-gray-800 dark:text-gray-200">Metrics</legend>
        <div className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-3" id={fields.metrics.id} tabIndex={-1}>
          {getCollectionProps(fields.metrics, { type: 'checkbox', options: [...METRICS] }).map(({ key, ...props }) => (
            <label key={key} className="flex items-center gap-2 text-sm text-gray-800 dark:text-gray-200">
              <input
                {...props}
                id={`${fields.metrics.id}-${props.value}`}
                aria-describedby={undefined}
                aria-invalid={undefined}
                className="h-4 w-4 rounded border-gray-300 text-indigo-600 focus:ring-indigo-500"
              />
              {METRIC_LABEL[props.value as keyof typeof METRIC_LABEL]}
            </label>
          ))}
        </div>
        {metricsError ? (
          <p id={fields.metrics.errorId} className={fieldErrorClass} data-field-error={fields.metrics.name}>
            {metricsError}
          </p>
        ) : null}
      </fieldset>

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field meta={fields.groupBy} label="Group by">
          {(aria) => (
            <select {...getSelectProps(fields.groupBy)} {...aria} className={controlClass(aria['aria-invalid'])}>
              {GROUP_BYS.map((g) => (
                <option key={g} value={g}>
                  {GROUP_BY_LABEL[g]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field meta={fields.rangeKind} label="Period">
          {(aria) => (
            <select {...getSelectProps(fields.rangeKind)} {...aria} className={controlClass(aria['aria-invalid'])}>
              <option value="rolling">A rolling period</option>
              <option value="fixed">Custom dates</option>
            </select>
          )}
        </Field>
      </div>
      {fixed ? (
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field meta={fields.from} label="From">
            {(aria) => (
              <input
                {...getInputProps(fields.from, { type: 'date' })}
                {...aria}
                className={controlClass(aria['aria-invalid'])}
              />
            )}
          </Field>
          <Field meta={fields.to} label="To">
            {(aria) => (
              <input
                {...getInputProps(fields.to, { type: 'date' })}
                {...aria}
                className={controlClass(aria['aria-invalid'])}
              />
            )}
          </Field>
        </div>
      ) : (
        <Field
          meta={fields.preset}
          label="Rolling period"
          description="Rolling periods end with the last complete day when the report runs."
        >
          {(aria) => (
            <select {...getSelectProps(fields.preset)} {...aria} className={controlClass(aria['aria-invalid'])}>
              {PRESETS.map((p) => (
                <option key={p} value={p}>
                  {PRESET_LABEL[p]}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field meta={fields.model} label="Model">
          {(aria) => (
            <select {...getSelectProps(fields.model)} {...aria} className={controlClass(aria['aria-invalid'])}>
              <option value="">All models</option>
              {withCurrent(options.models, text(fields.model.value)).map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field meta={fields.provider} label="Provider">
          {(aria) => (
            <select {...getSelectProps(fields.provider)} {...aria} className={controlClass(aria['aria-invalid'])}>
              <option value="">All providers</option>
              {withCurrent(options.providers, text(fields.provider.value)).map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field meta={fields.feature} label="Feature" description="Any feature name your calls record; empty for all.">
          {(aria) => (
            <>
              <input
                {...getInputProps(fields.feature, { type: 'text' })}
                {...aria}
                list={`${fields.feature.id}-suggestions`}
                autoComplete="off"
                maxLength={64}
                placeholder="All features"
                className={controlClass(aria['aria-invalid'])}
              />
              <datalist id={`${fields.feature.id}-suggestions`}>
                {FEATURES.map((f) => (
                  <option key={f} value={f} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field
          meta={withPartErrors(fields.tags)}
          label="Tags"
          description="key:value, comma-separated; a call must carry all of them."
        >
          {(aria) => (
            <input
              {...getInputProps(fields.tags, { type: 'text' })}
              {...aria}
              autoComplete="off"
              placeholder="env:prod, customer:acme"
              className={controlClass(aria['aria-invalid'])}
            />
          )}
        </Field>
      </div>
    </>
  )
}

function withCurrent(list: string[], current: string): string[] {
  return current && !list.includes(current) ? [...list, current] : list
}
