export interface SseFrame {
  id?: string
  event?: string
  data?: string
  comment?: string
}

/** Reads Server-Sent Events frames off a response body, one at a time. */
export function sseFrames(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  const parse = (block: string): SseFrame => {
    const frame: SseFrame = {}
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) frame.comment = line.slice(1).trim()
      const match = /^(id|event|data): ?(.*)$/.exec(line)
      if (match) frame[match[1] as 'id' | 'event' | 'data'] = match[2]
    }
    return frame
  }
  return {
    async next(timeoutMs = 5_000): Promise<SseFrame> {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const end = buffer.indexOf('\n\n')
        if (end !== -1) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          return parse(block)
        }
        if (Date.now() > deadline) throw new Error('no SSE frame in time')
        const timer = Bun.sleep(deadline - Date.now()).then(() => ({
          done: true,
          value: undefined,
          timeout: true,
        }))
        const chunk = await Promise.race([reader.read(), timer])
        if ('timeout' in chunk) throw new Error('no SSE frame in time')
        if (chunk.done) throw new Error('SSE stream ended')
        buffer += decoder.decode(chunk.value, { stream: true })
      }
    },
    cancel: () => reader.cancel(),
  }
}

/** Frames with an event, skipping keep-alive comments, until `done` says stop. */
export async function eventsUntil(frames: ReturnType<typeof sseFrames>, done: (f: SseFrame) => boolean) {
  const seen: SseFrame[] = []
  for (;;) {
    const frame = await frames.next()
    if (frame.event === undefined) continue
    seen.push(frame)
    if (done(frame)) return seen
  }
}
