import type { Migration } from 'kysely'
import * as foundation from './2026-11-24T0900_foundation'
import * as tracking from './2026-11-24T1000_tracking'
import * as reports from './2026-11-24T1100_reports'
import * as permissions from './2026-12-02T0900_permissions'
import * as prices from './2026-12-02T1000_prices'
import * as idempotencyRequestHash from './2026-12-02T1100_idempotency_request_hash'
import * as teamManagement from './2026-12-03T0900_team_management'
import * as recommendations from './2026-12-03T1000_recommendations'
import * as teamDisplay from './2026-12-03T1100_team_display'
import * as cacheNotify from './2026-12-03T1200_cache_notify'
import * as narrowRollups from './2026-12-03T1300_narrow_rollups'
import * as usageTagsAndViews from './2026-12-03T1310_usage_tags_and_views'

// Every migration, by name, in order. Names are ISO timestamps; add new files at the end.
export const migrations: Record<string, Migration> = {
  '2026-11-24T0900_foundation': foundation,
  '2026-11-24T1000_tracking': tracking,
  '2026-11-24T1100_reports': reports,
  '2026-12-02T0900_permissions': permissions,
  '2026-12-02T1000_prices': prices,
  '2026-12-02T1100_idempotency_request_hash': idempotencyRequestHash,
  '2026-12-03T0900_team_management': teamManagement,
  '2026-12-03T1000_recommendations': recommendations,
  '2026-12-03T1100_team_display': teamDisplay,
  '2026-12-03T1200_cache_notify': cacheNotify,
  '2026-12-03T1300_narrow_rollups': narrowRollups,
  '2026-12-03T1310_usage_tags_and_views': usageTagsAndViews,
}
