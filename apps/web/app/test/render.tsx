import { render } from '@testing-library/react'
import type { ReactElement } from 'react'
import { MemoryRouter } from 'virtual:react-router-dom'

const future = { v7_startTransition: true, v7_relativeSplatPath: true }

/** Renders inside a router at `path`, for components that use links or location. */
export function renderAt(ui: ReactElement, path = '/') {
  return render(
    <MemoryRouter initialEntries={[path]} future={future}>
      {ui}
    </MemoryRouter>,
  )
}
