/** Time-ordered ids (UUIDv7) so task ids sort by creation, like the history they index. */
export function newTaskId(): string {
  return Bun.randomUUIDv7()
}

export function newToken(): string {
  return crypto.randomUUID()
}
