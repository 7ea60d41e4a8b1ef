-- SenangKira's dashboard data (an invoicing app for small businesses), as much as its Celery tasks touch.
CREATE TABLE IF NOT EXISTS app_users (
  id serial PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL
);
CREATE TABLE IF NOT EXISTS invoices (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES app_users (id),
  client text NOT NULL,
  amount numeric(12, 2) NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'sent', 'paid', 'overdue')),
  issued_on date NOT NULL
);
CREATE TABLE IF NOT EXISTS dashboard_cache (
  user_id integer PRIMARY KEY REFERENCES app_users (id),
  payload jsonb NOT NULL,
  refreshed_at timestamptz NOT NULL DEFAULT now(),
  warmed boolean NOT NULL DEFAULT false
);
CREATE TABLE IF NOT EXISTS dashboard_events (
  id serial PRIMARY KEY,
  user_id integer REFERENCES app_users (id),
  kind text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS user_notifications (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES app_users (id),
  notification_type text NOT NULL,
  message text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS performance_runs (
  id serial PRIMARY KEY,
  ran_at timestamptz NOT NULL DEFAULT now(),
  body jsonb NOT NULL
);
