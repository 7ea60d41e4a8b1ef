/**
 * A costly module loaded on first use and kept, so each role pays only for what it runs: a
 * worker that never sends an email never loads nodemailer or Handlebars, and only the api loads
 * the HTTP app. A failed load is tried again on the next call.
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
