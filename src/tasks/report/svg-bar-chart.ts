import { escapeHtml } from '../../core/escape-html.ts'

const WIDTH = 720
const HEIGHT = 180
const PAD = 24

/** A small inline SVG bar chart (no script, no external resource); labels are escaped. */
export function svgBarChart(points: readonly { label: string; value: number }[], title: string): string {
  const max = Math.max(1, ...points.map((p) => p.value))
  const step = (WIDTH - 2 * PAD) / Math.max(1, points.length)
  const barWidth = Math.max(1, step * 0.8)
  const bars = points.map((p, i) => {
    const h = ((HEIGHT - 2 * PAD) * p.value) / max
    const x = PAD + i * step
    const y = HEIGHT - PAD - h
    return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}"><title>${escapeHtml(p.label)}: ${p.value}</title></rect>`
  })
  const first = points[0]?.label ?? ''
  const last = points.at(-1)?.label ?? ''
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(title)}">`,
    `<g fill="#3b7dd8">${bars.join('')}</g>`,
    `<line x1="${PAD}" y1="${HEIGHT - PAD}" x2="${WIDTH - PAD}" y2="${HEIGHT - PAD}" stroke="#888"/>`,
    `<text x="${PAD}" y="${HEIGHT - 6}" font-size="11">${escapeHtml(first)}</text>`,
    `<text x="${WIDTH - PAD}" y="${HEIGHT - 6}" font-size="11" text-anchor="end">${escapeHtml(last)}</text>`,
    `<text x="${PAD}" y="14" font-size="11">max ${max}</text>`,
    '</svg>',
  ].join('')
}
