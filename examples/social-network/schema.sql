-- ALX Project Nexus (a social network backend): the data its Celery tasks touch.
CREATE TABLE IF NOT EXISTS accounts (
  id serial PRIMARY KEY,
  username text NOT NULL UNIQUE,
  email text NOT NULL,
  last_login timestamptz,
  followers_count integer NOT NULL DEFAULT 0,
  following_count integer NOT NULL DEFAULT 0,
  posts_count integer NOT NULL DEFAULT 0,
  welcomed_at timestamptz
);
CREATE TABLE IF NOT EXISTS follows (
  follower_id integer NOT NULL REFERENCES accounts (id),
  followee_id integer NOT NULL REFERENCES accounts (id),
  PRIMARY KEY (follower_id, followee_id)
);
CREATE TABLE IF NOT EXISTS jwt_tokens (
  id serial PRIMARY KEY,
  account_id integer NOT NULL REFERENCES accounts (id),
  expires_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS posts (
  id serial PRIMARY KEY,
  author_id integer NOT NULL REFERENCES accounts (id),
  body text NOT NULL,
  media_path text,
  media_status text,
  likes integer NOT NULL DEFAULT 0,
  engagement_score numeric(10, 2) NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS comments (
  id serial PRIMARY KEY,
  post_id integer NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  author_id integer NOT NULL REFERENCES accounts (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS post_hashtags (
  post_id integer NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  tag text NOT NULL,
  PRIMARY KEY (post_id, tag)
);
CREATE TABLE IF NOT EXISTS trending_hashtags (
  tag text PRIMARY KEY,
  uses integer NOT NULL,
  rank integer NOT NULL
);
CREATE TABLE IF NOT EXISTS content_analytics (
  day date PRIMARY KEY,
  posts integer NOT NULL,
  comments integer NOT NULL,
  active_users integer NOT NULL
);
