import { th } from '../usage/styles'

/** A table's column headers; a label in brackets, e.g. "[Actions]", is for screen readers only. */
export function TableHead({ labels }: { labels: string[] }) {
  return (
    <thead>
      <tr>
        {labels.map((label) => (
          <th key={label} scope="col" className={th}>
            {label.startsWith('[') ? <span className="sr-only">{label.slice(1, -1)}</span> : label}
          </th>
        ))}
      </tr>
    </thead>
  )
}
