/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx'
import type { Principal } from '../../auth/principal.ts'
import { homePath } from '../home-path.ts'
import { PostButton } from './post-button.tsx'

export type NavKey = 'overview' | 'tasks' | 'workers' | 'queues' | 'schedules'

const NAV: [NavKey, string, string][] = [
  ['overview', 'Overview', '/'],
  ['tasks', 'Tasks', '/tasks'],
  ['workers', 'Workers', '/workers'],
  ['queues', 'Queues', '/queues'],
  ['schedules', 'Schedules', '/schedules'],
]

export interface LayoutProps {
  base: string
  csrf: string
  viewer: Principal | null
  /** The API runs without tokens: there is nobody to log out. */
  insecure: boolean
  title: string
  nav: NavKey | null
  /** Event types (prefixes, comma-separated) that make the client re-fetch `#live`. */
  liveTypes?: string | undefined
  /** Also re-fetch `#live` this often (values that change without events: heartbeats, ages). */
  liveEveryMs?: number | undefined
  /** Only events of this task count (a detail page). */
  liveTask?: string | undefined
  notice?: string | undefined
  /** Above the live section, so a refresh never replaces what the user is typing (filters). */
  toolbar?: Child
  children: Child
}

function Header(p: LayoutProps) {
  return (
    <header class="top">
      <a class="brand" href={homePath(p.base)}>
        Celeriac
      </a>
      {p.viewer && (
        <nav>
          {NAV.map(([key, label, path]) => (
            <a
              href={path === '/' ? homePath(p.base) : `${p.base}${path}`}
              class={key === p.nav ? 'current' : undefined}
            >
              {label}
            </a>
          ))}
        </nav>
      )}
      <span class="spacer" />
      <span id="live-status" class="live-status" />
      {p.viewer && !p.insecure && (
        <PostButton base={p.base} csrf={p.csrf} action="/logout" label="Log out" kind="link" />
      )}
    </header>
  )
}

/** The page shell: assets from this server only (the CSP forbids anything else), no inline script. */
export function Layout(p: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content={p.csrf} />
        <title>{`${p.title} · Celeriac`}</title>
        <link rel="stylesheet" href={`${p.base}/assets/dashboard.css`} />
        <script src={`${p.base}/assets/live.js`} defer />
      </head>
      <body data-events={p.viewer ? `${p.base}/events` : undefined}>
        <Header {...p} />
        <main>
          <h1>{p.title}</h1>
          {p.notice && (
            <p class="notice" role="status">
              {p.notice}
            </p>
          )}
          {p.toolbar}
          <section
            id="live"
            data-live-types={p.liveTypes}
            data-live-task={p.liveTask}
            data-live-every={p.liveEveryMs === undefined ? undefined : String(p.liveEveryMs)}
          >
            {p.children}
          </section>
        </main>
      </body>
    </html>
  )
}
