-- The portfolio site's own data, as much of it as its Celery tasks touch.
CREATE TABLE IF NOT EXISTS site_users (
  id serial PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL,
  phone text
);
CREATE TABLE IF NOT EXISTS projects (
  id serial PRIMARY KEY,
  title text NOT NULL,
  likes integer NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS user_actions (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES site_users (id),
  action text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}',
  processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS page_views (
  id serial PRIMARY KEY,
  path text NOT NULL,
  viewed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS analytics (
  path text PRIMARY KEY,
  views integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS cache_entries (
  key text PRIMARY KEY,
  value text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
  id serial PRIMARY KEY,
  report_type text NOT NULL,
  body jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS notifications_sent (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES site_users (id),
  channel text NOT NULL,
  message text NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now()
);
