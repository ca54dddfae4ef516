-- Tiers (admin-editable data, seeded with product.md's defaults), LLM providers, budgets,
-- the call ledger (every attempt), circuit-breaker outcomes, the response cache and the admin audit log.
CREATE TABLE tiers (
    name                 text PRIMARY KEY,
    price_usd            numeric(10, 2) NOT NULL,
    requests_per_day     int NOT NULL,
    requests_per_week    int NOT NULL,
    requests_per_month   int NOT NULL,
    monthly_budget_usd   numeric(12, 6) NOT NULL,
    features             text[] NOT NULL,
    model_class          text NOT NULL CHECK (model_class IN ('economy', 'standard', 'premium')),
    priority             int NOT NULL,
    updated_at           timestamptz NOT NULL DEFAULT now()
);
INSERT INTO tiers VALUES
    ('free',      0.00,    10,   50,   200,  0.50, '{coach_chat,plan_generation}',                  'economy',  0, now()),
    ('premium',   9.99,    50,  300,  1000,  3.00, '{coach_chat,plan_generation,workout_analysis}', 'standard', 1, now()),
    ('unlimited', 29.99, 1000, 5000, 20000, 12.00, '{coach_chat,plan_generation,workout_analysis}', 'premium',  2, now());

CREATE TABLE llm_providers (
    id                        uuid PRIMARY KEY,
    name                      text NOT NULL UNIQUE,
    kind                      text NOT NULL CHECK (kind IN ('openai', 'azure-openai', 'openai-compatible', 'anthropic', 'offline')),
    endpoint                  text,
    model                     text NOT NULL,
    api_version               text,
    use_managed_identity      boolean NOT NULL DEFAULT false,
    priority                  int NOT NULL DEFAULT 100,
    enabled                   boolean NOT NULL DEFAULT true,
    tiers                     text[] NOT NULL DEFAULT '{free,premium,unlimited}',
    input_price_per_million   numeric(12, 6) NOT NULL DEFAULT 0,
    output_price_per_million  numeric(12, 6) NOT NULL DEFAULT 0,
    timeout_seconds           int NOT NULL DEFAULT 30 CHECK (timeout_seconds BETWEEN 1 AND 300),
    daily_cap_usd             numeric(12, 6),
    monthly_cap_usd           numeric(12, 6),
    has_secret                boolean NOT NULL DEFAULT false,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now()
);
-- The offline coach: always present, free, last in every chain.
INSERT INTO llm_providers (id, name, kind, model, priority, input_price_per_million, output_price_per_million)
VALUES ('00000000-0000-0000-0000-00000000c0ac', 'offline-coach', 'offline', 'vigor-rules-1', 1000, 0, 0);

CREATE TABLE budget_settings (
    id                  int PRIMARY KEY CHECK (id = 1),
    global_monthly_usd  numeric(12, 6) NOT NULL,
    alert_thresholds    int[] NOT NULL,
    hard_stop           boolean NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
INSERT INTO budget_settings VALUES (1, 500, '{50,80,95,100}', true, now());

CREATE TABLE llm_calls (
    id             bigserial PRIMARY KEY,
    job_id         text NOT NULL,
    attempt        int NOT NULL,
    user_id        uuid,
    tier           text NOT NULL,
    feature        text NOT NULL,
    provider_id    uuid,
    provider_kind  text NOT NULL,
    model          text NOT NULL,
    input_tokens   int NOT NULL DEFAULT 0,
    output_tokens  int NOT NULL DEFAULT 0,
    cost_usd       numeric(12, 6) NOT NULL DEFAULT 0,
    latency_ms     int NOT NULL DEFAULT 0,
    outcome        text NOT NULL,
    cache_hit      boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (job_id, attempt)
);
CREATE INDEX llm_calls_created ON llm_calls (created_at);
CREATE INDEX llm_calls_user ON llm_calls (user_id, created_at);
CREATE INDEX llm_calls_provider ON llm_calls (provider_id, created_at);

CREATE TABLE llm_cache (
    key         text PRIMARY KEY,
    feature     text NOT NULL,
    response    jsonb NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX llm_cache_expires ON llm_cache (expires_at);

CREATE TABLE audit_log (
    id         bigserial PRIMARY KEY,
    actor_id   uuid,
    action     text NOT NULL,
    target     text NOT NULL,
    before     jsonb,
    after      jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created ON audit_log (created_at DESC);

-- Circuit breakers, shared by every instance: opened when the ledger shows a provider failing, then one
-- instance at a time may claim the half-open probe.
CREATE TABLE provider_breakers (
    provider_id       uuid PRIMARY KEY REFERENCES llm_providers (id) ON DELETE CASCADE,
    opened_at         timestamptz,
    probe_claimed_at  timestamptz
);
