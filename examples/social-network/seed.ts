/**
 * Creates the example's schema and a small, known data set in DATABASE_URL:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/social_network bun examples/social-network/seed.ts
 * The end-to-end test seeds through the same function.
 */
import { SQL } from 'bun'

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/social_network'

export async function seed(sql: SQL): Promise<void> {
  await sql.unsafe(await Bun.file(new URL('./schema.sql', import.meta.url)).text())
  await sql.unsafe(`TRUNCATE content_analytics, trending_hashtags, post_hashtags, comments, posts, jwt_tokens,
    follows, accounts RESTART IDENTITY CASCADE`)
  await sql.unsafe(`
    INSERT INTO accounts (username, email, last_login) VALUES
      ('amina', 'amina@example.com', now() - interval '1 day'),
      ('bayo', 'bayo@example.com', now() - interval '2 days'),
      ('chidi', 'chidi@example.com', now() - interval '60 days');
    INSERT INTO follows VALUES (2, 1), (3, 1), (1, 2);
    INSERT INTO jwt_tokens (account_id, expires_at) VALUES
      (1, now() + interval '1 day'), (2, now() - interval '1 hour'), (3, now() + interval '1 day');
    INSERT INTO posts (author_id, body, likes, created_at) VALUES
      (1, 'Hello #bun #celery', 10, now() - interval '1 hour'),
      (2, 'Queues everywhere #celery', 3, now() - interval '2 days'),
      (1, 'Old and quiet', 0, now() - interval '400 days'),
      (3, 'Old but loved #bun', 50, now() - interval '400 days');
    INSERT INTO comments (post_id, author_id, created_at) VALUES
      (1, 2, now() - interval '30 minutes'), (1, 3, now() - interval '20 minutes'), (2, 1, now() - interval '1 day');
    INSERT INTO post_hashtags VALUES (1, 'bun'), (1, 'celery'), (2, 'celery'), (4, 'bun');
  `)
}

if (import.meta.main) {
  const sql = new SQL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL)
  await seed(sql)
  await sql.close()
  console.log('seeded')
}
