/**
 * Creates the example's schema and a small, known data set in DATABASE_URL:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/poultry_farms bun examples/poultry-farms/seed.ts
 * The end-to-end test seeds through the same function.
 */
import { SQL } from 'bun'

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/poultry_farms'

export async function seed(sql: SQL): Promise<void> {
  await sql.unsafe(await Bun.file(new URL('./schema.sql', import.meta.url)).text())
  await sql.unsafe(`TRUNCATE metrics, advertiser_leads, offers, orders, activations, notifications,
    applications, farms, auth_tokens, accounts RESTART IDENTITY CASCADE`)
  await sql.unsafe(`
    INSERT INTO accounts (name, phone, email, role) VALUES
      ('Kwame Mensah', '+233244123456', 'kwame@example.com', 'farmer'),
      ('Ama Owusu', '+233201234567', 'ama@example.com', 'farmer'),
      ('Regional Admin', '+233277000001', 'admin@example.com', 'admin'),
      ('Feed Partner Ltd', '+233302000002', 'partner@example.com', 'partner');
    INSERT INTO auth_tokens (account_id, expires_at) VALUES
      (1, now() - interval '1 hour'), (2, now() + interval '1 day');
    INSERT INTO farms (owner_id, name, region, birds, eggs_last_30d, mortality_last_30d, gps_lat, gps_lng) VALUES
      (1, 'Mensah Layers', 'Ashanti', 1200, 27000, 12, 6.6885, -1.6244),
      (2, 'Owusu Broilers', 'Greater Accra', 800, 0, 40, 5.6037, -0.1870);
    INSERT INTO applications (farm_id, status, batch, submitted_at, updated_at) VALUES
      (1, 'Pending', '2026-B1', now() - interval '20 days', now() - interval '20 days'),
      (2, 'Pending', '2026-B1', now() - interval '2 days', now() - interval '2 days');
    INSERT INTO notifications (account_id, kind, body, created_at) VALUES
      (1, 'sms', 'old', now() - interval '120 days'), (2, 'sms', 'recent', now() - interval '3 days');
    INSERT INTO activations (seller_id, expires_at) VALUES
      (1, now() - interval '1 hour'), (2, now() + interval '2 days');
    INSERT INTO orders (seller_id, amount, created_at) VALUES
      (1, 100.00, now() - interval '1 day'), (2, 250.00, now() - interval '1 day'), (1, 40.00, now());
    INSERT INTO offers (partner_id, title, clicks, expires_at) VALUES
      (4, 'Feed discount', 30, now() + interval '2 days'),
      (4, 'Old vaccine promo', 5, now() - interval '1 day');
    INSERT INTO advertiser_leads (company, email) VALUES ('Agro Supplies', 'sales@agro.example');
  `)
}

if (import.meta.main) {
  const sql = new SQL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL)
  await seed(sql)
  await sql.close()
  console.log('seeded')
}
