import { field } from '../define-field.ts'
import { HealthChecks } from '../health-checks.ts'

/** What system.health_check checks besides Celeriac's own broker, folders and SMTP. */
export const HEALTH_FIELDS = {
  healthChecks: field({
    schema: HealthChecks,
    default: [],
    env: 'CELERIAC_HEALTH_CHECKS',
    kind: 'json',
    help: "the app's own services system.health_check also checks: a JSON list of {name, url}, url postgres://, redis://, rediss:// or http(s):// (outbound rules apply)",
    defaultText: 'none',
    expected:
      'a JSON list like [{"name": "database", "url": "postgres://user:pass@db:5432/app"}, {"name": "storage", "url": "https://files.example.com/health"}]',
    // The URLs may carry passwords: a bad value is described, never echoed.
    secret: true,
  }),
}
