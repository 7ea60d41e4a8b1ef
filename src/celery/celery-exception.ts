import type { TaskErrorInfo } from '../core/result.ts'

/** What Celery's JSON result backend stores for an exception; Python rebuilds `exc_module.exc_type(*exc_message)`. */
export interface CeleryException {
  exc_type: string
  exc_message: string[]
  exc_module: string
}

/**
 * Python builtins a task may throw by name (`throw Object.assign(new Error(m), { name: 'KeyError' })`
 * or a class named so): Python rebuilds each as itself. Every entry is an exception class in
 * `builtins`, so Celery's check that the rebuilt type is an exception (else SecurityError) holds.
 */
const PYTHON_BUILTINS = new Set([
  'Exception',
  'ArithmeticError',
  'AssertionError',
  'AttributeError',
  'ConnectionError',
  'FileNotFoundError',
  'IndexError',
  'KeyError',
  'LookupError',
  'NotImplementedError',
  'OSError',
  'OverflowError',
  'PermissionError',
  'RuntimeError',
  'TimeoutError',
  'TypeError',
  'ValueError',
  'ZeroDivisionError',
])

/** Our own and JavaScript's error names, each with the Python class that means the same. */
const KNOWN: Record<string, { module: string; type: string }> = {
  ValidationError: { module: 'builtins', type: 'ValueError' },
  RangeError: { module: 'builtins', type: 'ValueError' },
  SyntaxError: { module: 'builtins', type: 'ValueError' },
  UnrecoverableError: { module: 'builtins', type: 'RuntimeError' },
  UnknownTaskError: { module: 'celery.exceptions', type: 'NotRegistered' },
  TaskRevokedError: { module: 'celery.exceptions', type: 'TaskRevokedError' },
  TimeLimitExceeded: { module: 'billiard.exceptions', type: 'TimeLimitExceeded' },
  SoftTimeLimitExceeded: { module: 'billiard.exceptions', type: 'SoftTimeLimitExceeded' },
  ContentDisallowed: { module: 'kombu.exceptions', type: 'ContentDisallowed' },
}

/**
 * Maps an error to a class Python can rebuild: a builtin of the same name, a fixed equivalent of
 * ours, or one of `allowed` (`module.ClassName` entries an operator lists for their own exception
 * classes, matched by class name). Anything else becomes a RuntimeError whose message keeps the
 * original name, never a module/type pair a result could use to make Python import something.
 */
export function toCeleryException(error: TaskErrorInfo, allowed: readonly string[] = []): CeleryException {
  if (PYTHON_BUILTINS.has(error.type)) return make('builtins', error.type, error.message)
  const known = KNOWN[error.type]
  if (known) return make(known.module, known.type, error.message)
  const listed = allowed.find((entry) => entry.slice(entry.lastIndexOf('.') + 1) === error.type)
  if (listed !== undefined) return make(listed.slice(0, listed.lastIndexOf('.')), error.type, error.message)
  return make('builtins', 'RuntimeError', `${error.type}: ${error.message}`)
}

function make(module: string, type: string, message: string): CeleryException {
  return { exc_type: type, exc_message: [message], exc_module: module }
}
