-- The YEA Poultry Management System's own data, as much of it as its Celery tasks touch.
CREATE TABLE IF NOT EXISTS accounts (
  id serial PRIMARY KEY,
  name text NOT NULL,
  phone text NOT NULL,
  email text NOT NULL,
  role text NOT NULL DEFAULT 'farmer',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS auth_tokens (
  id serial PRIMARY KEY,
  account_id integer NOT NULL REFERENCES accounts (id),
  expires_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS farms (
  id serial PRIMARY KEY,
  owner_id integer NOT NULL REFERENCES accounts (id),
  name text NOT NULL,
  region text NOT NULL,
  birds integer NOT NULL DEFAULT 0,
  eggs_last_30d integer NOT NULL DEFAULT 0,
  mortality_last_30d integer NOT NULL DEFAULT 0,
  score numeric(5, 2),
  gps_lat numeric(9, 6),
  gps_lng numeric(9, 6),
  location_synced_at timestamptz
);
CREATE TABLE IF NOT EXISTS applications (
  id serial PRIMARY KEY,
  farm_id integer NOT NULL REFERENCES farms (id),
  status text NOT NULL DEFAULT 'Pending',
  batch text,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  reminded_at timestamptz
);
CREATE TABLE IF NOT EXISTS notifications (
  id serial PRIMARY KEY,
  account_id integer REFERENCES accounts (id),
  kind text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS activations (
  id serial PRIMARY KEY,
  seller_id integer NOT NULL REFERENCES accounts (id),
  expires_at timestamptz NOT NULL,
  active boolean NOT NULL DEFAULT true,
  warned_at timestamptz
);
CREATE TABLE IF NOT EXISTS orders (
  id serial PRIMARY KEY,
  seller_id integer NOT NULL REFERENCES accounts (id),
  amount numeric(10, 2) NOT NULL,
  commission numeric(10, 2),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS offers (
  id serial PRIMARY KEY,
  partner_id integer NOT NULL REFERENCES accounts (id),
  title text NOT NULL,
  clicks integer NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL,
  active boolean NOT NULL DEFAULT true,
  warned_at timestamptz
);
CREATE TABLE IF NOT EXISTS advertiser_leads (
  id serial PRIMARY KEY,
  company text NOT NULL,
  email text NOT NULL,
  status text NOT NULL DEFAULT 'new'
);
-- Computed figures: dashboards' cache, revenue, earnings, health; one row per key.
CREATE TABLE IF NOT EXISTS metrics (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now()
);
