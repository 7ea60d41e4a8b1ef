import { plugin } from 'bun'

let served = false

/**
 * Makes `import … from 'celeriac'` inside a user's task module (loaded by `-A`) resolve to this
 * process's own library, so the module needs no install and shares this binary's zod, errors and
 * defineTask. Registered once, before the first module is imported.
 */
export function serveLibraryModule(library: Readonly<Record<string, unknown>>): void {
  if (served) return
  served = true
  plugin({
    name: 'celeriac library',
    setup(build) {
      build.module('celeriac', () => ({ exports: { ...library }, loader: 'object' }))
    },
  })
}
