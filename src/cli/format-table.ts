/** Left-aligned columns, two spaces apart: what `status` and `inspect` print for people. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const cells = [headers, ...rows].map((row) => row.map(String))
  const widths = headers.map((_, col) => Math.max(...cells.map((row) => (row[col] ?? '').length)))
  return cells
    .map((row) =>
      row
        .map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

/** 3 s, 4m 10s, 2h 5m, 3d 4h: coarse on purpose, for uptimes and ages. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`
}

export function formatMegabytes(bytes: number): string {
  return `${Math.round(bytes / 1_048_576)} MB`
}
