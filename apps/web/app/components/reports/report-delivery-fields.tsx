import { getCollectionProps, getInputProps, getSelectProps, getTextareaProps } from '@conform-to/react'
import { FORMATS, FREQUENCIES, FREQUENCY_LABEL, WEEKDAYS } from '../../lib/report-form'
import { controlClass, errorText, Field, fieldErrorClass, withPartErrors } from '../ui/field'
import type { ReportBuilderState } from './use-report-builder'

const text = (v: unknown) => (typeof v === 'string' ? v : '')

/** Who gets the report and when: its name, format, recipients and schedule (what Save and Send now need). */
export function ReportDeliveryFields({
  form,
  fields,
  timeZone,
}: Pick<ReportBuilderState, 'form' | 'fields'> & { timeZone: string }) {
  const frequency = text(fields.frequency.value)
  const formatError = errorText(fields.format)
  return (
    <>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field meta={fields.name} label="Report name">
          {(aria) => (
            <input
              {...getInputProps(fields.name, { type: 'text' })}
              {...aria}
              autoComplete="off"
              maxLength={200}
              placeholder="Weekly spend"
              className={controlClass(aria['aria-invalid'])}
            />
          )}
        </Field>
        <fieldset aria-describedby={formatError ? fields.format.errorId : undefined}>
          <legend className="block text-sm font-medium text-gray-800 dark:text-gray-200">Format</legend>
          <div className="mt-2 flex gap-4">
            {getCollectionProps(fields.format, { type: 'radio', options: [...FORMATS] }).map(({ key, ...props }) => (
              <label key={key} className="flex items-center gap-2 text-sm text-gray-800 dark:text-gray-200">
                <input
                  {...props}
                  aria-describedby={undefined}
                  className="h-4 w-4 text-indigo-600 focus:ring-indigo-500"
                />
                {props.value.toUpperCase()}
              </label>
            ))}
          </div>
          {formatError ? (
            <p id={fields.format.errorId} className={fieldErrorClass} data-field-error={fields.format.name}>
              {formatError}
            </p>
          ) : null}
        </fieldset>
      </div>
      <Field
        meta={withPartErrors(fields.recipients)}
        label="Recipients"
        description="Email addresses, separated by commas or new lines."
      >
        {(aria) => (
          <textarea
            {...getTextareaProps(fields.recipients)}
            {...aria}
            rows={2}
            placeholder="finance@example.com, cto@example.com"
            className={controlClass(aria['aria-invalid'])}
          />
        )}
      </Field>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <Field meta={fields.frequency} label="Schedule">
          {(aria) => (
            <select {...getSelectProps(fields.frequency)} {...aria} className={controlClass(aria['aria-invalid'])}>
              {FREQUENCIES.map((f) => (
                <option key={f} value={f}>
                  {FREQUENCY_LABEL[f]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {frequency !== 'none' ? (
          <Field meta={fields.timeOfDay} label="Time of day" description={`In the team’s time zone (${timeZone}).`}>
            {(aria) => (
              <input
                {...getInputProps(fields.timeOfDay, { type: 'time' })}
                {...aria}
                className={controlClass(aria['aria-invalid'])}
              />
            )}
          </Field>
        ) : null}
        {frequency === 'weekly' ? (
          <Field meta={fields.dayOfWeek} label="Day of the week">
            {(aria) => (
              <select {...getSelectProps(fields.dayOfWeek)} {...aria} className={controlClass(aria['aria-invalid'])}>
                {WEEKDAYS.map((d, i) => (
                  <option key={d} value={String(i + 1)}>
                    {d}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        {frequency === 'monthly' ? (
          <Field meta={fields.dayOfMonth} label="Day of the month" description="1 to 28, so every month has it.">
            {(aria) => (
              <select {...getSelectProps(fields.dayOfMonth)} {...aria} className={controlClass(aria['aria-invalid'])}>
                {Array.from({ length: 28 }, (_, i) => String(i + 1)).map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
      </div>

      <input {...getInputProps(fields.active, { type: 'hidden' })} />
      {frequency !== 'none' ? (
        <label className="flex items-center gap-2 text-sm text-gray-800 dark:text-gray-200">
          <input
            type="checkbox"
            checked={text(fields.active.value) !== 'false'}
            onChange={(e) =>
              form.update({ name: fields.active.name, value: e.currentTarget.checked ? 'true' : 'false' })
            }
            className="h-4 w-4 rounded border-gray-300 text-indigo-600 focus:ring-indigo-500"
          />
          Active (untick to pause sending)
        </label>
      ) : null}
    </>
  )
}
