/**
 * Creates the example's schema and a small, known data set in DATABASE_URL:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/volunteer_admin bun examples/volunteer-admin/seed.ts
 * The end-to-end test seeds through the same function.
 */
import { SQL } from 'bun'

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/volunteer_admin'

export async function seed(sql: SQL): Promise<void> {
  await sql.unsafe(await Bun.file(new URL('./schema.sql', import.meta.url)).text())
  await sql.unsafe('TRUNCATE activity_logs, content, admins, users RESTART IDENTITY CASCADE')
  await sql.unsafe(`
    INSERT INTO users (email, first_name, last_name, status, created_at) VALUES
      ('ada@example.com', 'Ada', 'Lovelace', 1, '2024-01-05T10:00:00Z'),
      ('grace@example.com', 'Grace', 'Hopper', 1, '2024-01-20T10:00:00Z'),
      ('alan@example.com', 'Alan', 'Turing', 0, '2023-12-01T10:00:00Z');
    INSERT INTO admins (email, name) VALUES ('root@example.com', 'Site Admin');
    INSERT INTO content (title, status, publish_at, expires_at) VALUES
      ('Volunteer week', 'scheduled', now() - interval '1 minute', NULL),
      ('Next month''s drive', 'scheduled', now() + interval '30 days', NULL),
      ('Old notice', 'published', now() - interval '400 days', now() - interval '1 day'),
      ('Draft', 'draft', NULL, NULL);
    INSERT INTO activity_logs (user_id, action, created_at) VALUES
      (1, 'login', '2024-01-10T09:00:00Z'),
      (1, 'signup_event', '2024-01-11T09:00:00Z'),
      (2, 'login', '2024-01-21T09:00:00Z'),
      (3, 'login', now() - interval '200 days'),
      (2, 'login', now() - interval '1 day');
  `)
}

if (import.meta.main) {
  const sql = new SQL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL)
  await seed(sql)
  await sql.close()
  console.log('seeded')
}
