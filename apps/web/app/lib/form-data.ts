/** A form field as a string ('' when missing or a file). */
export function formString(data: FormData | URLSearchParams, key: string): string {
  const value = data.get(key)
  return typeof value === 'string' ? value : ''
}
