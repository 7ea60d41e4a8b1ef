/**
 * The overview's path: `/`, or the bare base path (`/celeriac`, not `/celeriac/`: Hono mounts a
 * sub-app's `/` there). Every other page is `${base}/page`.
 */
export function homePath(base: string): string {
  return base || '/'
}

/** A path of this dashboard, and nothing else (no other site, no `//host`). */
export function isDashboardPath(path: string, base: string): boolean {
  if (path.startsWith('//') || /[\\\s]/.test(path)) return false
  return path === homePath(base) || path.startsWith(`${base}/`)
}
