/** A small structured logger: one line per entry on stderr, JSON when asked (for log shippers). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
  child(fields: Record<string, unknown>): Logger
}

export interface LoggerOptions {
  level?: LogLevel
  json?: boolean
  write?: (line: string) => void
}

/** C0 and C1 controls, DEL and the Unicode line and paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * Text with its control characters written as escapes: a value taken from a request (a path with
 * %0A, a header) can then never start a line of its own that reads like an entry of ours.
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

export function createLogger(options: LoggerOptions = {}, base: Record<string, unknown> = {}): Logger {
  const min = LEVELS[options.level ?? 'info']
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`))
  const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < min) return
    const all = { ...base, ...fields }
    if (options.json) {
      write(JSON.stringify({ ts: new Date().toISOString(), level, msg: message, ...all }))
      return
    }
    const extra = Object.entries(all)
      .map(([k, v]) => `${escapeControl(k)}=${typeof v === 'string' ? escapeControl(v) : JSON.stringify(v)}`)
      .join(' ')
    const text = escapeControl(message)
    write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${text}${extra ? ` ${extra}` : ''}`)
  }
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(options, { ...base, ...fields }),
  }
}

const ignore = (): void => {}
/** Drops every entry before any formatting: libraries and tests default to it, so it must cost nothing. */
export const silentLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  child: () => silentLogger,
}
