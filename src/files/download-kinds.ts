/** What a download can be, by file extension: the only files the exports folder serves. */
export const DOWNLOAD_TYPES = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  html: 'text/html; charset=utf-8',
} as const
export type DownloadFormat = keyof typeof DOWNLOAD_TYPES

/** A download id is a UUID (v7, time-ordered): a name, never a path. */
export const DOWNLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Files in the exports folder that Celeriac wrote: downloads and unfinished `.part` files. */
export const DOWNLOAD_FILE =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(csv|json|html)(\.part)?$/
