/** Reads at most `limit` bytes of a body as text and drops the rest: results stay small. */
export async function readCapped(
  response: Response,
  limit: number,
): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false }
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let truncated = false
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.byteLength
    if (size >= limit) {
      truncated = size > limit
      await reader.cancel()
      break
    }
  }
  const bytes = Buffer.concat(chunks).subarray(0, limit)
  return { text: new TextDecoder().decode(bytes), truncated }
}
