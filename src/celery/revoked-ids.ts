/**
 * The task ids a worker was told to revoke, as Celery's worker keeps them (a LimitedSet of
 * REVOKES_MAX = 50,000 ids for REVOKE_EXPIRES = 3 h): in memory, oldest dropped first.
 */
export class RevokedIds {
  private readonly ids = new Map<string, { terminate: boolean; at: number }>()

  constructor(
    private readonly max = 50_000,
    private readonly ttlMs = 3 * 3600 * 1000,
  ) {}

  add(id: string, terminate: boolean, now: number): void {
    const had = this.ids.get(id)
    this.ids.delete(id)
    this.ids.set(id, { terminate: terminate || had?.terminate === true, at: now })
    while (this.ids.size > this.max) this.ids.delete(this.ids.keys().next().value as string)
  }

  /** How `id` was revoked, or null when it was not (or so long ago that Celery would forget it). */
  get(id: string, now: number): { terminate: boolean } | null {
    const entry = this.ids.get(id)
    if (!entry) return null
    if (now - entry.at > this.ttlMs) {
      this.ids.delete(id)
      return null
    }
    return { terminate: entry.terminate }
  }
}
