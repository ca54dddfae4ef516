-- Quota leases (QuotaLeases): an instance counts a block of a user's requests in the tier's day/week/month counters at
-- once, then answers that user's remembered cache hits from the block without a round trip before the answer. Each hit's
-- writes (the ledger row, the plan, the job) commit just after its answer and mark one unit of the lease used. A lease
-- ends (closed_at) when its holder returns it, idle or expiring, once the writes of its hits have committed: the unused
-- units are taken off the counters again. A lease whose holder died is closed by llm_quota_leases_reclaim (the AI job
-- recovery timer) after its expiry and a grace longer than any write after an answer: the units no committed hit used are
-- returned, so a hit whose writes were lost with the instance is not counted either. The counters are never above their
-- limits: a lease takes at most a quarter of what is left in every window, and nothing when that is under 2.
CREATE TABLE llm_quota_leases (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    partition  text NOT NULL,
    row_keys   text[] NOT NULL,          -- the counter rows it counted in (the day's, the week's, the month's)
    granted    integer NOT NULL CHECK (granted > 0),
    used       integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,     -- no hit is answered from it after this
    closed_at  timestamptz
);
CREATE INDEX llm_quota_leases_open ON llm_quota_leases (expires_at) WHERE closed_at IS NULL;
CREATE INDEX llm_quota_leases_user ON llm_quota_leases (user_id);

-- Takes a lease of at most p_want units (0: none; then nothing changed). The counter rows are locked in key order, as
-- counter_apply_many locks them, so the two never deadlock. p_limits[i] is p_rows[i]'s limit (null: none).
CREATE FUNCTION llm_quota_lease_take(p_id uuid, p_user uuid, p_partition text, p_rows text[], p_limits bigint[], p_want integer, p_expires timestamptz)
RETURNS integer LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_grant bigint := p_want;
    r record;
BEGIN
    INSERT INTO llm_counters (partition, row_key)
    SELECT p_partition, k FROM unnest(p_rows) AS k ORDER BY k
    ON CONFLICT DO NOTHING;
    FOR r IN
        SELECT c.value, l.lim
        FROM llm_counters c JOIN unnest(p_rows, p_limits) AS l (key, lim) ON c.row_key = l.key
        WHERE c.partition = p_partition
        ORDER BY c.row_key
        FOR UPDATE OF c
    LOOP
        IF r.lim IS NOT NULL THEN
            v_grant := least(v_grant, (r.lim - r.value) / 4);
        END IF;
    END LOOP;
    IF v_grant < 2 THEN
        RETURN 0;
    END IF;
    UPDATE llm_counters SET value = value + v_grant, last_delta = v_grant, updated_at = now()
    WHERE partition = p_partition AND row_key = ANY (p_rows);
    INSERT INTO llm_quota_leases (id, user_id, partition, row_keys, granted, expires_at)
    VALUES (p_id, p_user, p_partition, p_rows, v_grant, p_expires);
    RETURN v_grant;
END
$$;

-- Marks one unit of a lease used, with the writes of the hit it answered (once per job: a batch that already committed
-- is not counted again). A lease closed meanwhile (its holder stalled past the grace) has given its unused units back:
-- the hit is then counted in the lease's counter rows directly, so it is counted exactly once either way.
CREATE FUNCTION llm_quota_lease_use(p_id uuid, p_job text) RETURNS void
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_closed boolean;
    v_partition text;
    v_rows text[];
BEGIN
    IF EXISTS (SELECT 1 FROM jobs WHERE id = p_job) THEN
        RETURN;
    END IF;
    UPDATE llm_quota_leases SET used = used + 1 WHERE id = p_id
    RETURNING closed_at IS NOT NULL, partition, row_keys INTO v_closed, v_partition, v_rows;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no quota lease %', p_id USING ERRCODE = 'VG004';
    END IF;
    IF v_closed THEN
        UPDATE llm_counters SET value = value + 1, last_delta = 1, updated_at = now()
        WHERE partition = v_partition AND row_key = ANY (v_rows);
    END IF;
END
$$;

-- Ends a lease and takes its unused units off the counters; returns how many (0 when it had ended already).
CREATE FUNCTION llm_quota_lease_close(p_id uuid) RETURNS integer
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_unused integer;
    v_partition text;
    v_rows text[];
BEGIN
    UPDATE llm_quota_leases SET closed_at = now() WHERE id = p_id AND closed_at IS NULL
    RETURNING greatest(granted - used, 0), partition, row_keys INTO v_unused, v_partition, v_rows;
    IF NOT FOUND OR v_unused = 0 THEN
        RETURN 0;
    END IF;
    PERFORM 1 FROM llm_counters WHERE partition = v_partition AND row_key = ANY (v_rows) ORDER BY row_key FOR UPDATE;
    UPDATE llm_counters SET value = value - v_unused, last_delta = -v_unused, updated_at = now()
    WHERE partition = v_partition AND row_key = ANY (v_rows);
    RETURN v_unused;
END
$$;

-- Closes the leases that expired before p_before (their holders are gone or stalled); returns the units given back.
-- Leases closed two days before that are deleted: nothing reads them any more.
CREATE FUNCTION llm_quota_leases_reclaim(p_before timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_total integer := 0;
    v_id uuid;
BEGIN
    FOR v_id IN SELECT id FROM llm_quota_leases WHERE closed_at IS NULL AND expires_at < p_before ORDER BY expires_at LIMIT 1000 LOOP
        v_total := v_total + llm_quota_lease_close(v_id);
    END LOOP;
    DELETE FROM llm_quota_leases WHERE closed_at < p_before - interval '2 days';
    RETURN v_total;
END
$$;

-- An instance keeps what it built a user's plan requests from (LlmHitContexts: the user's tier and age, the profile, the
-- tier's settings) and answers leased hits from it with no check before the answer, so it must hear of every change at
-- once: in process from the code that made it, and from every other writer on this channel.
CREATE TRIGGER users_llm_context_changed AFTER UPDATE OF tier, is_minor ON users
    FOR EACH ROW WHEN (OLD.tier IS DISTINCT FROM NEW.tier OR OLD.is_minor IS DISTINCT FROM NEW.is_minor)
    EXECUTE FUNCTION notify_users_row('vigor_llm_context');

CREATE FUNCTION notify_profiles_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_ARGV[0], CASE WHEN TG_OP = 'DELETE' THEN OLD.user_id ELSE NEW.user_id END::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER profiles_llm_context_changed AFTER INSERT OR UPDATE OR DELETE ON profiles
    FOR EACH ROW EXECUTE FUNCTION notify_profiles_row('vigor_llm_context');

-- A tier's settings concern all its users: the payload '*' drops every kept entry.
CREATE FUNCTION notify_all_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_ARGV[0], '*');
    RETURN NULL;
END
$$;

CREATE TRIGGER tiers_llm_context_changed AFTER INSERT OR UPDATE OR DELETE ON tiers
    FOR EACH STATEMENT EXECUTE FUNCTION notify_all_statement('vigor_llm_context');
