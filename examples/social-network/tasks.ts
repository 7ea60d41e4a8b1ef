/**
 * ALX Project Nexus's Celery tasks (users/tasks.py, posts/tasks.py), ported: same names, the
 * same effects on the network's PostgreSQL data. Mail goes through Celeriac's built-in
 * `email.send` (templates `welcome_user` and `digest`), media through `image.process`.
 */
import { SQL } from 'bun'
import { defineTask, UnrecoverableError, z } from 'celeriac'

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/social_network'
const APP_NAME = 'Nexus'
const FRONTEND_URL = process.env.FRONTEND_URL ?? 'http://localhost:3000'

let pool: SQL | null = null
/** One connection pool per process, opened on first use (the api never needs it). */
function db(): SQL {
  pool ??= new SQL(DATABASE_URL)
  return pool
}

// ---- users/tasks.py

export const cleanupExpiredTokens = defineTask({
  name: 'users.tasks.cleanup_expired_tokens',
  input: z.object({ inactive_days: z.number().int().positive().default(30) }),
  run: async ({ inactive_days }) => {
    // Expired tokens go, and every token of a user inactive for 30+ days.
    const gone = await db()`DELETE FROM jwt_tokens t USING accounts a WHERE a.id = t.account_id
      AND (t.expires_at < now() OR a.last_login < now() - make_interval(days => ${inactive_days})) RETURNING t.id`
    return { deleted: gone.length }
  },
})

export const updateUserStatistics = defineTask({
  name: 'users.tasks.update_user_statistics',
  input: z.object({}),
  run: async () => {
    const rows = await db()`UPDATE accounts a SET
        followers_count = (SELECT count(*) FROM follows WHERE followee_id = a.id),
        following_count = (SELECT count(*) FROM follows WHERE follower_id = a.id),
        posts_count = (SELECT count(*) FROM posts WHERE author_id = a.id)
      RETURNING id`
    return { updated: rows.length }
  },
})

export const sendWelcomeEmail = defineTask({
  name: 'users.tasks.send_welcome_email',
  input: z.object({ user_id: z.number().int().positive() }),
  celeryArgs: ['user_id'],
  run: async ({ user_id }, ctx) => {
    const [user] = await db()`SELECT id, username, email FROM accounts WHERE id = ${user_id}`
    if (!user) throw new UnrecoverableError(`user ${user_id} does not exist`)
    const mail = await ctx.enqueue(
      'email.send',
      {
        to: user.email,
        template: 'welcome_user',
        context: { name: user.username, app_name: APP_NAME, login_url: `${FRONTEND_URL}/login` },
      },
      { idempotencyKey: `welcome:${user.id}` },
    )
    await db()`UPDATE accounts SET welcomed_at = now() WHERE id = ${user.id}`
    return { email_task_id: mail.id }
  },
})

// ---- posts/tasks.py

export const processMediaUpload = defineTask({
  name: 'posts.tasks.process_media_upload',
  input: z.object({ post_id: z.number().int().positive(), file_path: z.string().min(1) }),
  celeryArgs: ['post_id', 'file_path'],
  run: async ({ post_id, file_path }, ctx) => {
    if (!/\.(jpe?g|png|gif|bmp)$/i.test(file_path))
      throw new UnrecoverableError(`${file_path}: only images are processed (videos are not supported)`)
    const job = await ctx.enqueue('image.process', {
      file_path,
      max_width: 1080,
      max_height: 1080,
      thumbnails: [150, 320],
    })
    await db()`UPDATE posts SET media_path = ${file_path}, media_status = 'processing' WHERE id = ${post_id}`
    return { image_task_id: job.id }
  },
})

export const updateTrendingHashtags = defineTask({
  name: 'posts.tasks.update_trending_hashtags',
  input: z.object({
    days: z.number().int().positive().default(7),
    top: z.number().int().positive().default(10),
  }),
  run: async ({ days, top }) => {
    await db()`DELETE FROM trending_hashtags`
    const rows = await db()`INSERT INTO trending_hashtags (tag, uses, rank)
      SELECT tag, count(*)::int, row_number() OVER (ORDER BY count(*) DESC, tag)::int FROM post_hashtags h
      JOIN posts p ON p.id = h.post_id WHERE p.created_at > now() - make_interval(days => ${days})
      GROUP BY tag ORDER BY count(*) DESC, tag LIMIT ${top} RETURNING tag, uses`
    return { trending: rows.map((r: { tag: string; uses: number }) => [r.tag, r.uses]) }
  },
})

export const cleanupOldPosts = defineTask({
  name: 'posts.tasks.cleanup_old_posts',
  input: z.object({ min_likes: z.number().int().min(0).default(5) }),
  run: async ({ min_likes }) => {
    // Older than a year, with minimal engagement (few likes, no comments).
    const gone =
      await db()`DELETE FROM posts p WHERE p.created_at < now() - interval '1 year' AND p.likes < ${min_likes}
      AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.post_id = p.id) RETURNING id`
    return { deleted: gone.map((r: { id: number }) => r.id) }
  },
})

export const generateContentAnalytics = defineTask({
  name: 'posts.tasks.generate_content_analytics',
  input: z.object({ day: z.iso.date().optional() }),
  run: async ({ day }) => {
    // Yesterday by default: the schedule runs at 04:00 for the day that just ended.
    const [row] = await db()`INSERT INTO content_analytics (day, posts, comments, active_users)
      SELECT d, (SELECT count(*) FROM posts WHERE created_at::date = d)::int,
        (SELECT count(*) FROM comments WHERE created_at::date = d)::int,
        (SELECT count(*) FROM accounts WHERE last_login::date = d)::int
      FROM (SELECT coalesce(${day ?? null}::date, current_date - 1) AS d) s
      ON CONFLICT (day) DO UPDATE SET posts = excluded.posts, comments = excluded.comments, active_users = excluded.active_users
      RETURNING day::text, posts, comments, active_users`
    return row
  },
})

export const updatePostEngagementScores = defineTask({
  name: 'posts.tasks.update_post_engagement_scores',
  input: z.object({}),
  run: async () => {
    // Likes plus three per comment, halved for every week of age: fresh engagement ranks first.
    const rows = await db()`UPDATE posts p SET engagement_score = round(
        (p.likes + 3 * (SELECT count(*) FROM comments c WHERE c.post_id = p.id))
        / power(2, extract(epoch FROM now() - p.created_at) / 604800)::numeric, 2)
      RETURNING id, engagement_score`
    return {
      scores: Object.fromEntries(
        rows.map((r: { id: number; engagement_score: string }) => [r.id, Number(r.engagement_score)]),
      ),
    }
  },
})

export const sendContentDigestEmail = defineTask({
  name: 'posts.tasks.send_content_digest_email',
  input: z.object({
    active_days: z.number().int().positive().default(7),
    top: z.number().int().positive().default(5),
  }),
  run: async ({ active_days, top }, ctx) => {
    const users =
      await db()`SELECT id, username, email FROM accounts WHERE last_login > now() - make_interval(days => ${active_days})`
    const posts = await db()`SELECT body FROM posts ORDER BY engagement_score DESC, likes DESC LIMIT ${top}`
    const items = posts.map((p: { body: string }) => ({ title: p.body }))
    for (const user of users)
      await ctx.enqueue(
        'email.send',
        {
          to: user.email,
          subject: `Your ${APP_NAME} weekly digest`,
          template: 'digest',
          context: { name: user.username, app_name: APP_NAME, period: 'week', items },
        },
        { idempotencyKey: `digest:${ctx.id}:${user.id}` },
      )
    return { sent: users.length, top_posts: items.length }
  },
})
