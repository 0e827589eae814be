import { Link } from '@remix-run/react'
import { isValidElement, type ReactElement, type ReactNode } from 'react'
import { th } from '../usage/styles'

/** The header cell's classes. `relative`: screen-reader-only text (absolutely placed) stays inside a table that
 * scrolls sideways instead of widening the page. */
const headClass = (numeric: boolean) => `${th} relative${numeric ? ' text-right' : ''}`

/** A column header; `numeric` right-aligns it over figures. */
export function Th({ children, numeric = false }: { children: ReactNode; numeric?: boolean }) {
  return (
    <th scope="col" className={headClass(numeric)}>
      {children}
    </th>
  )
}

/**
 * A column header that sorts the table by its column: a link to the page sorted by it (`search`), the current order
 * announced (`aria-sort`) and shown by an arrow, and what a click does said to screen readers (`hint`).
 */
export function SortTh({
  label,
  search,
  sorted,
  hint,
  numeric = false,
}: {
  label: string
  search: string
  sorted: 'ascending' | 'descending' | undefined
  hint: string
  numeric?: boolean
}) {
  return (
    <th scope="col" className={headClass(numeric)} aria-sort={sorted}>
      <Link to={{ search }} preventScrollReset className="hover:underline">
        {label}
        {sorted ? <span aria-hidden="true"> {sorted === 'ascending' ? '↑' : '↓'}</span> : null}
        <span className="sr-only">, {hint}</span>
      </Link>
    </th>
  )
}

/** A column of figures: its header is right-aligned. */
export const figures = (label: string) => ({ label, numeric: true })

/**
 * A table's header row. A string is a column's label ("[Actions]" in brackets is for screen readers only),
 * `figures('Cost')` a right-aligned one; an element (a `SortTh`) is used as it is.
 */
export function TableHead({ columns }: { columns: (string | ReturnType<typeof figures> | ReactElement)[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column, i) => {
          if (typeof column === 'string')
            return column.startsWith('[') ? (
              <Th key={i}>
                <span className="sr-only">{column.slice(1, -1)}</span>
              </Th>
            ) : (
              <Th key={i}>{column}</Th>
            )
          if ('numeric' in column && !isValidElement(column))
            return (
              <Th key={i} numeric>
                {column.label}
              </Th>
            )
          return column
        })}
      </tr>
    </thead>
  )
}
