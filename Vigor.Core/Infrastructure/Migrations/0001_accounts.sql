-- Accounts, profiles, refresh-token families and login throttling.
CREATE TABLE users (
    id               uuid PRIMARY KEY,
    email            text NOT NULL,
    email_normalized text NOT NULL UNIQUE,
    password_hash    text NOT NULL,
    display_name     text,
    birth_year       int  NOT NULL,
    is_minor         boolean NOT NULL DEFAULT false,
    role             text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    tier             text NOT NULL DEFAULT 'free',
    status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE profiles (
    user_id         uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    fitness_level   text CHECK (fitness_level IN ('beginner', 'intermediate', 'advanced')),
    goals           text[] NOT NULL DEFAULT '{}',
    equipment       text[] NOT NULL DEFAULT '{}',
    injuries        jsonb  NOT NULL DEFAULT '[]',
    days_per_week   int CHECK (days_per_week BETWEEN 1 AND 7),
    session_minutes int CHECK (session_minutes BETWEEN 15 AND 120),
    units           text NOT NULL DEFAULT 'metric' CHECK (units IN ('metric', 'imperial')),
    screening       jsonb  NOT NULL DEFAULT '{}',
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE refresh_token_families (
    id             uuid PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at     timestamptz,
    revoked_reason text
);
CREATE INDEX refresh_token_families_user ON refresh_token_families (user_id);

CREATE TABLE refresh_tokens (
    token_hash bytea PRIMARY KEY,
    family_id  uuid NOT NULL REFERENCES refresh_token_families (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    spent_at   timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);

CREATE TABLE login_throttle (
    key          text PRIMARY KEY,
    window_start timestamptz NOT NULL,
    attempts     int NOT NULL
);
