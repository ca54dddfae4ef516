-- A cache hit in two round trips (LlmInlineRunner, LlmCache.Recall). An instance that served an entry remembers its text;
-- the next request with that key sends, in one batch, the request's quota, this guard, the ledger row, the feature's
-- write and the job's row, written complete. The guard stops the batch (the transaction rolls back: nothing is counted,
-- nothing is written) unless the quota took the request (its operation marker exists: a refused operation takes its
-- marker back) and the entry is still the one remembered (not expired, same text). The caller then goes the usual way:
-- the quota's refusal, or a fresh cache read.
CREATE FUNCTION llm_cache_hit_guard(p_partition text, p_marker text, p_key text, p_text_sha256 text) RETURNS void
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM llm_counters WHERE partition = p_partition AND row_key = p_marker) THEN
        RAISE EXCEPTION 'the quota refused the request' USING ERRCODE = 'VG001';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM llm_cache WHERE key = p_key AND expires_at > now() AND encode(sha256(convert_to(response->>'text', 'UTF8')), 'hex') = p_text_sha256) THEN
        RAISE EXCEPTION 'the cache entry expired or changed' USING ERRCODE = 'VG002';
    END IF;
END
$$;
