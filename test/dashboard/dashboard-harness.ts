import { type HarnessOptions, makeApi } from '../api/api-harness.ts'

export { TOKENS } from '../api/api-harness.ts'

/** The CSRF token in a page's forms. */
export function csrfOf(html: string): string {
  const found = /name="csrf-token" content="([^"]+)"/.exec(html)?.[1]
  if (!found) throw new Error(`no CSRF field in:\n${html.slice(0, 500)}`)
  return found
}

/**
 * A browser-like client of the dashboard over app.request(): it keeps the session cookie the
 * server sets, and posts forms the way a browser does.
 */
export function makeDashboard(options: HarnessOptions = {}) {
  const api = makeApi(options)
  let cookie = ''
  const request = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers)
    if (cookie) headers.set('cookie', cookie)
    const res = await api.app.request(path, { ...init, headers })
    const set = res.headers.get('set-cookie')
    if (set) cookie = set.split(';')[0] ?? ''
    return res
  }
  const post = (path: string, fields: Record<string, string>) =>
    request(path, {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
  const base = api.config.basePath
  /** The session's CSRF token, from a page's head (the login page; logged in, the overview). */
  const csrf = async () => {
    const page = await request(`${base}/login`)
    const html =
      page.status === 303
        ? await (await request(page.headers.get('location') ?? '/')).text()
        : await page.text()
    return csrfOf(html)
  }
  const login = async (token: string) => post(`${base}/login`, { _csrf: await csrf(), token, next: '' })
  /** Posts an action with the session's CSRF token, as the page's button would. */
  const act = async (path: string, fields: Record<string, string> = {}) => {
    const token = await csrf()
    return post(path, { _csrf: token, ...fields })
  }
  return { ...api, request, post, login, csrf, act, cookie: () => cookie }
}
