import type { ComponentType, SVGProps } from 'react'
import {
  BellIcon,
  ChartIcon,
  CogIcon,
  DocumentIcon,
  EnvelopeIcon,
  FlaskIcon,
  InboxIcon,
  LightBulbIcon,
  ScaleIcon,
  TagIcon,
  UsersIcon,
  WalletIcon,
} from './icons'

export interface NavItem {
  to: string
  label: string
  icon: ComponentType<SVGProps<SVGSVGElement>>
}

/** The app's sections, in the order the navigation shows them. */
export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/lab', label: 'Prompt Lab', icon: FlaskIcon },
  { to: '/dashboard/usage', label: 'Usage', icon: ChartIcon },
  { to: '/dashboard/recommendations', label: 'Recommendations', icon: LightBulbIcon },
  { to: '/dashboard/budget-settings', label: 'Budgets', icon: WalletIcon },
  { to: '/dashboard/budget-requests', label: 'Budget requests', icon: InboxIcon },
  { to: '/dashboard/alerts', label: 'Alerts', icon: BellIcon },
  { to: '/dashboard/prices', label: 'Prices', icon: TagIcon },
  { to: '/dashboard/reconciliation', label: 'Reconciliation', icon: ScaleIcon },
  { to: '/dashboard/team', label: 'Team', icon: UsersIcon },
  { to: '/dashboard/team-usage', label: 'Team usage', icon: ChartIcon },
  { to: '/dashboard/cost-centers', label: 'Cost centres', icon: ScaleIcon },
  { to: '/dashboard/reports', label: 'Reports', icon: DocumentIcon },
  { to: '/dashboard/outbox', label: 'Outbox', icon: EnvelopeIcon },
  { to: '/settings', label: 'Settings', icon: CogIcon },
]
