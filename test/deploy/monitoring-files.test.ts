import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { makeApi } from '../api/api-harness.ts'
import { promqlMetricNames, servedMetricNames } from './promql-names.ts'

const ROOT = resolve(import.meta.dir, '../..')
const ALERTS = resolve(ROOT, 'deploy/prometheus/alerts.yml')
const DASHBOARD = resolve(ROOT, 'deploy/grafana/celeriac.json')

interface Rule {
  alert: string
  expr: string
  for?: string
  labels?: { severity?: string }
  annotations?: { summary?: string }
}

function alertRules(): Rule[] {
  const doc = Bun.YAML.parse(readFileSync(ALERTS, 'utf8')) as { groups: { name: string; rules: Rule[] }[] }
  return doc.groups.flatMap((g) => g.rules)
}

function dashboardExprs(): { panel: string; expr: string }[] {
  const doc = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    panels: { title: string; targets: { expr: string }[] }[]
  }
  return doc.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })))
}

/** What a default api serves at /metrics: the boards and alerts must need no switch turned on. */
async function served(): Promise<Set<string>> {
  const api = makeApi()
  return servedMetricNames(await (await api.request('/metrics')).text())
}

/** `where: name` for every metric an expression reads that /metrics does not serve. */
function unknownNames(items: { where: string; expr: string }[], known: Set<string>): string[] {
  return items.flatMap(({ where, expr }) =>
    promqlMetricNames(expr)
      .filter((name) => !known.has(name))
      .map((name) => `${where}: ${name}`),
  )
}

describe('deploy/prometheus/alerts.yml', () => {
  test('parses, and every rule has an alert name, an expression, a severity and a summary', () => {
    const rules = alertRules()
    expect(rules.length).toBeGreaterThanOrEqual(5)
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^Celeriac\w+$/)
      expect(typeof rule.expr).toBe('string')
      expect(rule.labels?.severity).toMatch(/^(critical|warning)$/)
      expect(rule.annotations?.summary?.length).toBeGreaterThan(0)
    }
  })

  test('covers unconsumed queues, failure rate, backlog age, dead tasks and unsafe broker config', () => {
    const read = new Set(alertRules().flatMap((r) => promqlMetricNames(r.expr)))
    for (const name of [
      'celeriac_queue_consumers',
      'celeriac_tasks_total',
      'celeriac_queue_oldest_age_seconds',
      'celeriac_queue_dead',
      'celeriac_broker_unsafe_config',
    ])
      expect(read).toContain(name)
  })

  test('reads only metrics the api serves, and each rule reads at least one', async () => {
    const rules = alertRules()
    for (const r of rules) expect(promqlMetricNames(r.expr).length).toBeGreaterThan(0)
    expect(
      unknownNames(
        rules.map((r) => ({ where: r.alert, expr: r.expr })),
        await served(),
      ),
    ).toEqual([])
  })

  // Debian's `prometheus` package provides promtool; where it is installed, the rules must pass it.
  test('passes promtool check rules where promtool is installed', () => {
    const promtool = Bun.which('promtool')
    if (promtool) {
      const run = Bun.spawnSync([promtool, 'check', 'rules', ALERTS])
      expect(run.stderr.toString() + run.stdout.toString()).toContain('SUCCESS')
      expect(run.exitCode).toBe(0)
    }
  })
})

describe('deploy/grafana/celeriac.json', () => {
  test('parses and has the throughput, failure, run time, backlog, oldest age, workers and RSS panels', () => {
    const exprs = dashboardExprs()
    const all = exprs.map((e) => e.expr).join('\n')
    for (const quantile of ['0.5', '0.95', '0.99']) expect(all).toContain(`histogram_quantile(${quantile},`)
    const read = new Set(exprs.flatMap((e) => promqlMetricNames(e.expr)))
    for (const name of [
      'celeriac_tasks_total',
      'celeriac_task_errors_total',
      'celeriac_task_duration_seconds_bucket',
      'celeriac_queue_backlog',
      'celeriac_queue_oldest_age_seconds',
      'celeriac_workers',
      'celeriac_worker_rss_bytes',
    ])
      expect(read).toContain(name)
  })

  test('reads only metrics the api serves, and each panel query reads at least one', async () => {
    const exprs = dashboardExprs()
    for (const e of exprs) expect(promqlMetricNames(e.expr).length).toBeGreaterThan(0)
    expect(
      unknownNames(
        exprs.map((e) => ({ where: e.panel, expr: e.expr })),
        await served(),
      ),
    ).toEqual([])
  })
})

describe('the PromQL name reader', () => {
  test('finds metric names and skips functions, labels, ranges, groupings and numbers', () => {
    expect(
      promqlMetricNames(
        'histogram_quantile(0.95, sum by (le) (rate(a_bucket{state="x"}[5m]))) / on (queue) b > 1e-9 and c offset 5m',
      ).sort(),
    ).toEqual(['a_bucket', 'b', 'c'])
  })
})
