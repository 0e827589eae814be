import type { HTMLAttributes } from 'react'

/** A surface in Tremor's card style (same tokens), without loading the chart library for it. */
export function Card({ className = '', ...props }: HTMLAttributes<HTMLDivElement>) {
  return (
    <div
      className={`rounded-tremor-default border border-tremor-border bg-tremor-background shadow-tremor-card dark:border-dark-tremor-border dark:bg-dark-tremor-background dark:shadow-dark-tremor-card ${className}`}
      {...props}
    />
  )
}
