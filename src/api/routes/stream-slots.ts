/**
 * Open event streams per client, each capped: one token (or one address without tokens) cannot
 * hold so many streams that the process spends its time replaying and polling for them.
 */
export class StreamSlots {
  private readonly open = new Map<string, number>()

  constructor(private readonly perClient: number) {}

  /** Takes a slot for `client`; false when it already holds its cap. */
  acquire(client: string): boolean {
    const held = this.open.get(client) ?? 0
    if (held >= this.perClient) return false
    this.open.set(client, held + 1)
    return true
  }

  release(client: string): void {
    const held = (this.open.get(client) ?? 1) - 1
    if (held <= 0) this.open.delete(client)
    else this.open.set(client, held)
  }
}
