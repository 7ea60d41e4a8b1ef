/** The form field (or X-CSRF-Token header) that carries a session's CSRF token on every POST. */
export const CSRF_FIELD = '_csrf'
