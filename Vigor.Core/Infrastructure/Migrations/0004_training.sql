-- The training domain: the exercise catalogue (a mirror of the embedded catalogue.json, upserted at startup by
-- CatalogueSeeder), plans with their validator findings, logged sessions and body metrics.
CREATE TABLE exercises (
    id                text PRIMARY KEY,
    name              text NOT NULL,
    primary_muscles   text[] NOT NULL,
    secondary_muscles text[] NOT NULL,
    equipment         text[] NOT NULL,
    level             text NOT NULL,
    mechanic          text NOT NULL,
    pattern           text NOT NULL,
    loads_areas       text[] NOT NULL,
    instructions      text[] NOT NULL,
    data              jsonb NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX exercises_primary_muscles ON exercises USING gin (primary_muscles);
CREATE INDEX exercises_equipment ON exercises USING gin (equipment);

-- source: 'manual', 'offline' (the rules-based generator) or the name of the LLM provider that wrote the plan.
-- A plan with validator errors is kept (the user may fix it) but flagged, and never offered as a recommendation.
CREATE TABLE plans (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       text NOT NULL,
    goal       text NOT NULL,
    source     text NOT NULL CHECK (source <> ''),
    days       jsonb NOT NULL,
    findings   jsonb NOT NULL DEFAULT '[]',
    has_errors boolean NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plans_user ON plans (user_id, id DESC);

CREATE TABLE workout_logs (
    id               uuid PRIMARY KEY,
    user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    plan_id          uuid REFERENCES plans (id) ON DELETE SET NULL,
    performed_at     timestamptz NOT NULL,
    duration_minutes int NOT NULL CHECK (duration_minutes BETWEEN 1 AND 600),
    exercises        jsonb NOT NULL,
    rating           int CHECK (rating BETWEEN 1 AND 5),
    notes            text,
    -- The personal records the session set when it was logged (PersonalRecords.NewRecords).
    records          jsonb NOT NULL DEFAULT '[]',
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workout_logs_user_performed ON workout_logs (user_id, performed_at DESC, id DESC);
CREATE INDEX workout_logs_plan ON workout_logs (plan_id) WHERE plan_id IS NOT NULL;

CREATE TABLE body_metrics (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    measured_at  timestamptz NOT NULL,
    weight_kg    numeric(6, 2) CHECK (weight_kg BETWEEN 20 AND 500),
    body_fat_pct numeric(5, 2) CHECK (body_fat_pct BETWEEN 2 AND 75),
    waist_cm     numeric(6, 2) CHECK (waist_cm BETWEEN 30 AND 300),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (weight_kg IS NOT NULL OR body_fat_pct IS NOT NULL OR waist_cm IS NOT NULL)
);
CREATE INDEX body_metrics_user_measured ON body_metrics (user_id, measured_at DESC, id DESC);
