import { readFileSync } from 'node:fs'
import type { ConfigFileInput } from './load-config.ts'

/**
 * Reads the config file named by `--config` (or else CELERIAC_CONFIG), if any. Never throws:
 * an unreadable file becomes a problem the loader reports with the others.
 */
export function readConfigFile(
  env: Readonly<Record<string, string | undefined>>,
  flags: Readonly<Record<string, string | boolean | undefined>>,
): ConfigFileInput | undefined {
  const flag = flags.config
  const fromFlag = typeof flag === 'string' && flag !== ''
  const path = fromFlag ? flag : env.CELERIAC_CONFIG
  if (path === undefined || path === '') return undefined
  const source = fromFlag ? '--config' : 'CELERIAC_CONFIG'
  try {
    return { path, source, text: readFileSync(path, 'utf8') }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const error =
      code === 'ENOENT' ? `config file not found: ${path}` : `cannot read config file ${path}: ${code}`
    return { path, source, error }
  }
}
