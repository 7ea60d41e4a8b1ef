-- The AU-VLP admin backend's own data, as much of it as its Celery tasks touch.
CREATE TABLE IF NOT EXISTS users (
  id serial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  first_name text NOT NULL,
  last_name text NOT NULL,
  status integer NOT NULL DEFAULT 1,
  welcomed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS admins (
  id serial PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  welcomed_at timestamptz
);
CREATE TABLE IF NOT EXISTS content (
  id serial PRIMARY KEY,
  title text NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'expired')),
  publish_at timestamptz,
  expires_at timestamptz,
  published_at timestamptz
);
CREATE TABLE IF NOT EXISTS activity_logs (
  id serial PRIMARY KEY,
  user_id integer REFERENCES users (id),
  action text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
