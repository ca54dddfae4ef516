-- A remembered cache hit in one round trip (PlanGenerationService, LlmHitContexts). An instance keeps, per user, what
-- the request is built from: the user's row (tier, age), the profile and the user's tier, with the version of each row
-- as it read them (xmin: the transaction that wrote the row version; any update, delete or re-insert gives another).
-- When the request's cache entry is remembered too, the instance skips its first read and sends this guard with the
-- hit's batch (migration 0025): it stops the batch (the transaction rolls back, nothing is counted or written) unless
-- all three rows are still the versions read. The caller then reads them afresh and goes the usual way. The database
-- decides, so no notification has to arrive first: a change by another instance or by plain SQL is never missed.
CREATE FUNCTION llm_hit_context_guard(p_user uuid, p_user_version bigint, p_profile_version bigint, p_tier text, p_tier_version bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1
        FROM users u JOIN tiers t ON t.name = u.tier LEFT JOIN profiles p ON p.user_id = u.id
        WHERE u.id = p_user AND u.xmin::text::bigint = p_user_version AND u.tier = p_tier AND t.xmin::text::bigint = p_tier_version
          AND p.xmin::text::bigint IS NOT DISTINCT FROM p_profile_version) THEN
        RAISE EXCEPTION 'the user, the profile or the tier changed' USING ERRCODE = 'VG003';
    END IF;
END
$$;
