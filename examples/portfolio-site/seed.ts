/**
 * Creates the example's schema and a small, known data set in DATABASE_URL:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/portfolio_site bun examples/portfolio-site/seed.ts
 * The end-to-end test seeds through the same function.
 */
import { SQL } from 'bun'

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/portfolio_site'

export async function seed(sql: SQL): Promise<void> {
  await sql.unsafe(await Bun.file(new URL('./schema.sql', import.meta.url)).text())
  await sql.unsafe(`TRUNCATE notifications_sent, reports, cache_entries, analytics, page_views, user_actions,
    projects, site_users RESTART IDENTITY CASCADE`)
  await sql.unsafe(`
    INSERT INTO site_users (name, email, phone) VALUES
      ('Visitor One', 'one@example.com', '+15551230001'),
      ('Visitor Two', 'two@example.com', NULL);
    INSERT INTO projects (title) VALUES ('Celeriac port'), ('Old blog');
    INSERT INTO page_views (path) VALUES ('/'), ('/'), ('/projects/1'), ('/'), ('/projects/1');
    INSERT INTO cache_entries (key, value, expires_at) VALUES
      ('home', '<html>', now() - interval '5 minutes'), ('about', '<html>', now() + interval '1 hour');
  `)
}

if (import.meta.main) {
  const sql = new SQL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL)
  await seed(sql)
  await sql.close()
  console.log('seeded')
}
