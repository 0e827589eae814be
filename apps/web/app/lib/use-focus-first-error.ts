import { useEffect, useRef } from 'react'

/**
 * After a failed submit, moves focus to the first field with an error so keyboard and screen-reader
 * users land on it. Returns a ref callback factory keyed by field name.
 */
export function useFocusFirstError<F extends string>(
  fieldOrder: readonly F[],
  errors: Partial<Record<F, string>> | undefined,
) {
  const refs = useRef(new Map<F, HTMLInputElement>())
  useEffect(() => {
    if (!errors) return
    const first = fieldOrder.find((f) => errors[f])
    if (first) refs.current.get(first)?.focus()
  }, [errors, fieldOrder])
  return (field: F) => (el: HTMLInputElement | null) => {
    if (el) refs.current.set(field, el)
    else refs.current.delete(field)
  }
}
