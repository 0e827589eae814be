import { forwardRef, type InputHTMLAttributes } from 'react'
import { Field, useFieldMeta } from './ui/field'

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & {
  label: string
  name: string
  error?: string | null
  hint?: string
}

/** A labelled text input in the one `Field` (for the sign-in, sign-up and team forms, which post without Conform). */
export const FormField = forwardRef<HTMLInputElement, Props>(function FormField(
  { label, name, error, hint, className = '', ...input },
  ref,
) {
  const meta = useFieldMeta(name, error)
  return (
    <Field meta={meta} label={label} description={hint} className={className}>
      {(aria) => (
        <input
          ref={ref}
          name={name}
          {...aria}
          className={`block w-full rounded-md border bg-white px-3 py-2 text-sm text-gray-900 shadow-sm placeholder:text-gray-400 focus:outline-none focus:ring-2 dark:bg-gray-900 dark:text-gray-100 ${
            aria['aria-invalid']
              ? 'border-red-500 focus:border-red-500 focus:ring-red-500/30 dark:border-red-500'
              : 'border-gray-300 focus:border-indigo-500 focus:ring-indigo-500/30 dark:border-gray-700'
          }`}
          {...input}
        />
      )}
    </Field>
  )
})
