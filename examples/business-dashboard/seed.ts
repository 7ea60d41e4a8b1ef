/**
 * Creates the example's schema and a small, known data set in DATABASE_URL:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/business_dashboard bun examples/business-dashboard/seed.ts
 * The end-to-end test seeds through the same function.
 */
import { SQL } from 'bun'

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/business_dashboard'

export async function seed(sql: SQL): Promise<void> {
  await sql.unsafe(await Bun.file(new URL('./schema.sql', import.meta.url)).text())
  await sql.unsafe(`TRUNCATE performance_runs, user_notifications, dashboard_events, dashboard_cache, invoices,
    app_users RESTART IDENTITY CASCADE`)
  await sql.unsafe(`
    INSERT INTO app_users (name, email) VALUES ('Siti Trading', 'siti@example.com'), ('Lim Bakery', 'lim@example.com');
    INSERT INTO invoices (user_id, client, amount, status, issued_on) VALUES
      (1, 'Acme', 1200.00, 'paid', '2024-01-10'),
      (1, 'Beta', 800.00, 'sent', '2024-01-20'),
      (1, 'Gamma', 300.00, 'overdue', '2023-12-01'),
      (2, 'Delta', 150.00, 'paid', '2024-01-05');
    INSERT INTO dashboard_events (user_id, kind, created_at) VALUES
      (1, 'view', now() - interval '90 days'), (1, 'view', now() - interval '45 days'), (2, 'view', now());
  `)
}

if (import.meta.main) {
  const sql = new SQL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL)
  await seed(sql)
  await sql.close()
  console.log('seeded')
}
