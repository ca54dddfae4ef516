-- Stripe billing: the Stripe customer of each user, the latest known state of each subscription, and every webhook
-- event id once (the primary key is what makes a redelivered or concurrently delivered event a no-op).
CREATE TABLE billing_customers (
    user_id     uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    customer_id text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per Stripe subscription. state_at is when the state was read from Stripe (the start of the API fetch):
-- a write with an older state_at never replaces a newer one, so out-of-order deliveries cannot roll the state back.
-- past_due_since starts the grace period and is kept while the subscription stays past_due.
CREATE TABLE billing_subscriptions (
    id                   text PRIMARY KEY,
    user_id              uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    customer_id          text NOT NULL,
    status               text NOT NULL,
    price_id             text,
    tier                 text,
    current_period_end   timestamptz,
    cancel_at_period_end boolean NOT NULL DEFAULT false,
    cancel_at            timestamptz,
    past_due_since       timestamptz,
    state_at             timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX billing_subscriptions_user ON billing_subscriptions (user_id);

CREATE TABLE billing_events (
    id          text PRIMARY KEY,
    type        text NOT NULL,
    created     timestamptz NOT NULL,
    outcome     text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
