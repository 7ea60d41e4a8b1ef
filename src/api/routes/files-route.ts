import { Hono } from 'hono'
import type { AuthEnv } from '../../auth/principal.ts'
import { resolveDownload } from '../../files/resolve-download.ts'
import type { ApiDeps } from '../api-deps.ts'
import { ApiError } from '../api-error.ts'
import { requireScope } from '../middleware/require-scope.ts'

/** Downloads of export.csv and report.generate results, by the id their result carries. */
export function filesRoute(deps: ApiDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.get('/files/:id', requireScope('read'), async (c) => {
    const id = c.req.param('id')
    const download = await resolveDownload(deps.config.exportsDir, id)
    if (!download)
      throw new ApiError(404, 'not_found', `no download '${id.slice(0, 100)}' (unknown, or cleaned up)`)
    return new Response(Bun.file(download.path), {
      headers: {
        'content-type': download.contentType,
        'content-length': String(download.bytes),
        'content-disposition': `attachment; filename="${download.filename}"`,
        // A report is HTML: never let a browser run it in the API's origin.
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        'x-content-type-options': 'nosniff',
      },
    })
  })
  return app
}
