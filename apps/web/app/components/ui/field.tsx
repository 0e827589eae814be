import { useId, type ReactNode } from 'react'
import { selectClass } from '../usage/styles'

/**
 * What a field needs to label its control and tie its error and description to it: Conform's field metadata has
 * this shape (`fields.name`), and `useFieldMeta` builds it for forms that do not use Conform.
 */
export interface FieldMeta {
  id: string
  name: string
  errorId: string
  descriptionId: string
  errors?: string[] | undefined
}

/** The attributes a field puts on its control: the id its label points at, and its error or description. */
export interface ControlAria {
  id: string
  'aria-invalid': true | undefined
  'aria-describedby': string | undefined
}

/** A Conform field's metadata with every error of the field and of its parts (a list reports "tags[1]"). */
export function withPartErrors(meta: FieldMeta & { allErrors: Record<string, string[]> }): FieldMeta {
  return {
    id: meta.id,
    name: meta.name,
    errorId: meta.errorId,
    descriptionId: meta.descriptionId,
    errors: Object.values(meta.allErrors).flat(),
  }
}

/** Field metadata for a form without Conform: a stable id and the error to show, if any. */
export function useFieldMeta(name: string, error?: string | null): FieldMeta {
  const id = `${useId()}-${name}`
  return { id, name, errorId: `${id}-error`, descriptionId: `${id}-description`, errors: error ? [error] : undefined }
}

/** The first error as a sentence (the API writes "must be more than $0" for API clients; a form shows "Must be…"). */
export function errorText(meta: Pick<FieldMeta, 'errors'>): string | undefined {
  const error = meta.errors?.[0]
  return error ? error.charAt(0).toUpperCase() + error.slice(1) : undefined
}

export function controlAria(meta: FieldMeta, hasDescription: boolean): ControlAria {
  const error = errorText(meta)
  return {
    id: meta.id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? meta.errorId : hasDescription ? meta.descriptionId : undefined,
  }
}

export const fieldLabelClass = 'block text-sm font-medium text-gray-800 dark:text-gray-200'
export const fieldErrorClass = 'mt-1.5 text-sm text-red-700 dark:text-red-300'
export const fieldDescriptionClass = 'mt-1.5 text-xs text-gray-600 dark:text-gray-400'

/**
 * The one form field: a label, the control (given the id and aria attributes to spread on it), and below it the
 * first error — or, when there is none, the description. The error carries `data-field-error` with the field's name.
 */
export function Field({
  meta,
  label,
  description,
  className,
  children,
}: {
  meta: FieldMeta
  label: ReactNode
  description?: ReactNode
  className?: string
  /** The control; as a function it is given the id and aria attributes to spread on it. */
  children: ReactNode | ((control: ControlAria) => ReactNode)
}) {
  const error = errorText(meta)
  return (
    <div className={className}>
      <label htmlFor={meta.id} className={fieldLabelClass}>
        {label}
      </label>
      <div className="mt-1.5">
        {typeof children === 'function' ? children(controlAria(meta, description != null)) : children}
      </div>
      {error ? (
        <p id={meta.errorId} className={fieldErrorClass} data-field-error={meta.name}>
          {error}
        </p>
      ) : description != null ? (
        <p id={meta.descriptionId} className={fieldDescriptionClass}>
          {description}
        </p>
      ) : null}
    </div>
  )
}

/** A text input or select inside a Field, red while the field has an error. */
export const controlClass = (invalid: boolean | undefined) =>
  `${selectClass} py-2 ${invalid ? 'border-red-500 focus:border-red-500 focus:ring-red-500/30 dark:border-red-500' : ''}`
