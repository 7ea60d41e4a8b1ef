/**
 * Takes turns for long reads (a search over the history, an event replay): each slice of work
 * awaits `turn()`, and the lane lets one waiter go per turn of the event loop, oldest first. However
 * many reads run at once, a request arriving meanwhile waits for at most one slice, not one slice
 * of every read; with nothing else to do, the slices run back to back.
 */
export class ReadLane {
  private readonly waiting: (() => void)[] = []
  private scheduled = false

  /** Resolves on a later turn of the event loop, after the waiters that asked before. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve)
      this.schedule()
    })
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    // setImmediate runs after pending I/O: sockets with requests waiting are served in between.
    setImmediate(() => {
      this.scheduled = false
      this.waiting.shift()?.()
      if (this.waiting.length > 0) this.schedule()
    })
  }
}
