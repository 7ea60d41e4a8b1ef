/**
 * Something costly built on first use and kept (a mail transport, a template environment), so a
 * worker that never sends an email never loads nodemailer or Handlebars. A failed build is tried
 * again on the next call.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | null = null
  return () => {
    loaded ??= load().catch((err: unknown) => {
      loaded = null
      throw err
    })
    return loaded
  }
}
