// The one door to the chart library, loaded on demand. @tremor/react's index pulls in every component
// (~870 kB), so the chart is imported from its own module; the props type comes from the package index.
import type { AreaChartProps } from '@tremor/react'
import type { ComponentType } from 'react'
import AreaChartModule from '@tremor/react/dist/components/chart-elements/AreaChart/AreaChart.js'

export const AreaChart = AreaChartModule as unknown as ComponentType<AreaChartProps>
