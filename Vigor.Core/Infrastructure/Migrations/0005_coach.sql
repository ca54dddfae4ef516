-- Coach conversations: the caller's own history; safety answers are stored with their category.
CREATE TABLE coach_conversations (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX coach_conversations_user ON coach_conversations (user_id, updated_at DESC);

CREATE TABLE coach_messages (
    id               uuid PRIMARY KEY,
    conversation_id  uuid NOT NULL REFERENCES coach_conversations (id) ON DELETE CASCADE,
    role             text NOT NULL CHECK (role IN ('user', 'assistant')),
    content          text NOT NULL,
    source           text,
    safety           text,
    job_id           text UNIQUE,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX coach_messages_conversation ON coach_messages (conversation_id, created_at);
