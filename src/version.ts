import pkg from '../package.json' with { type: 'json' }

/** Bundled into the binary at build time, so `celeriac --version` needs no file at run time. */
export const VERSION: string = pkg.version
