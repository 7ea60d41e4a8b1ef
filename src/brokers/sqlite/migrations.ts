/**
 * Numbered schema migrations: entry N brings `PRAGMA user_version` from N to N+1. Append only;
 * never edit a shipped entry, since files in the field already ran it.
 *
 * `tasks` holds the queue and the result backend in one row per task, so a state change is one
 * UPDATE. `status` is the storage view (queued | active | done); `state` is the Celery view.
 * The rowid `seq` orders by arrival and keys the table; `id` is unique and looked up by index.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE tasks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    task TEXT NOT NULL,
    queue TEXT NOT NULL,
    priority INTEGER NOT NULL,
    message TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'active', 'done')),
    state TEXT NOT NULL,
    run_at INTEGER NOT NULL,
    expires INTEGER,
    idempotency_key TEXT,
    idem_until INTEGER,
    lease_token TEXT,
    lease_expires INTEGER,
    worker TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    retries INTEGER NOT NULL DEFAULT 0,
    redeliveries INTEGER NOT NULL DEFAULT 0,
    redelivered INTEGER NOT NULL DEFAULT 0,
    result TEXT,
    error TEXT,
    meta TEXT,
    dead_reason TEXT,
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    runtime_ms REAL,
    result_expires_at INTEGER
  );
  CREATE INDEX tasks_reserve ON tasks (queue, priority DESC, run_at, seq) WHERE status = 'queued';
  CREATE INDEX tasks_lease ON tasks (lease_expires) WHERE status = 'active';
  CREATE INDEX tasks_idempotency ON tasks (idempotency_key) WHERE idempotency_key IS NOT NULL;
  CREATE INDEX tasks_expiry ON tasks (result_expires_at) WHERE result_expires_at IS NOT NULL;
  CREATE INDEX tasks_dead ON tasks (queue, seq) WHERE dead_reason IS NOT NULL;
  CREATE INDEX tasks_name ON tasks (task, seq);

  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    at INTEGER NOT NULL,
    task_id TEXT,
    task TEXT,
    queue TEXT,
    data TEXT NOT NULL
  );
  CREATE INDEX events_at ON events (at);

  CREATE TABLE revocations (
    id TEXT PRIMARY KEY,
    terminate INTEGER NOT NULL,
    at INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE workers (
    name TEXT PRIMARY KEY,
    info TEXT NOT NULL,
    last_heartbeat INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE control (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    command TEXT NOT NULL,
    target TEXT,
    args TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE control_replies (
    seq INTEGER NOT NULL REFERENCES control (seq) ON DELETE CASCADE,
    worker TEXT NOT NULL,
    reply TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE INDEX control_replies_seq ON control_replies (seq);
  `,
  `
  CREATE INDEX events_task ON events (task_id, seq) WHERE task_id IS NOT NULL;

  CREATE TABLE rate_buckets (
    key TEXT PRIMARY KEY,
    tokens REAL NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL
  );
  `,
  `
  CREATE TABLE schedules (
    name TEXT PRIMARY KEY,
    entry TEXT NOT NULL,
    state TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE locks (
    name TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  `
  -- The lease that recorded a task's last outcome: a resend of that outcome is recognised.
  ALTER TABLE tasks ADD COLUMN settled_by TEXT;
  `,
  `
  -- A unique task's key, and until when it holds after the task ended (see enqueue.ts).
  ALTER TABLE tasks ADD COLUMN unique_key TEXT;
  ALTER TABLE tasks ADD COLUMN unique_until INTEGER;
  CREATE INDEX tasks_unique ON tasks (unique_key, task, seq) WHERE unique_key IS NOT NULL;
  `,
  `
  -- Workflows (chain, group, chord): each one's planned tree, and each group's finished members.
  CREATE TABLE workflows (
    id TEXT PRIMARY KEY,
    tree TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE workflow_joins (
    group_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    result TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, idx)
  ) WITHOUT ROWID;
  `,
  `
  -- Fair sharing (see fair-gate.ts): a shared task's gate and its cap; held rows wait for a slot
  -- of their gate and are not reservable, so the reserve index leaves them out.
  ALTER TABLE tasks ADD COLUMN group_gate TEXT;
  ALTER TABLE tasks ADD COLUMN group_limit INTEGER;
  ALTER TABLE tasks ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
  DROP INDEX tasks_reserve;
  CREATE INDEX tasks_reserve ON tasks (queue, priority DESC, run_at, seq) WHERE status = 'queued' AND held = 0;
  CREATE INDEX tasks_held ON tasks (queue, group_gate, priority DESC, run_at, seq) WHERE held = 1;
  CREATE INDEX tasks_gate_slots ON tasks (queue, group_gate) WHERE group_gate IS NOT NULL AND held = 0
    AND status IN ('queued', 'active');
  -- When a held task that was not yet due (an ETA, a retry's backoff) becomes due: reserve admits it.
  CREATE TABLE gate_timers (
    queue TEXT NOT NULL,
    gate TEXT NOT NULL,
    lim INTEGER NOT NULL,
    due INTEGER NOT NULL
  );
  CREATE INDEX gate_timers_due ON gate_timers (queue, due);
  `,
]
