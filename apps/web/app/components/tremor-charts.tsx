// The one door to the chart library, loaded on demand. @tremor/react's index pulls in every component
// (~870 kB), so each chart is imported from its own module; the props types come from the package index.
import type { AreaChartProps, BarChartProps, DonutChartProps } from '@tremor/react'
import type { ComponentType } from 'react'
import AreaChartModule from '@tremor/react/dist/components/chart-elements/AreaChart/AreaChart.js'
import BarChartModule from '@tremor/react/dist/components/chart-elements/BarChart/BarChart.js'
import DonutChartModule from '@tremor/react/dist/components/chart-elements/DonutChart/DonutChart.js'

export const AreaChart = AreaChartModule as unknown as ComponentType<AreaChartProps>
export const BarChart = BarChartModule as unknown as ComponentType<BarChartProps>
export const DonutChart = DonutChartModule as unknown as ComponentType<DonutChartProps>
