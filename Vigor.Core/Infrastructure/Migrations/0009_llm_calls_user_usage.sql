-- GET me/usage and the admin user detail sum a user's ledger rows since the start of the week or month on every call
-- (the ledger is the only source exact to the last settled request: the rollups lag by up to a run, the live counters
-- hold worst-case reservations of requests in flight). Covering the summed columns keeps that an index-only range
-- scan of the user's rows, bounded by the tier's monthly quota; it replaces the plain (user_id, created_at) index.
CREATE INDEX llm_calls_user_usage ON llm_calls (user_id, created_at) INCLUDE (attempt, cache_hit, cost_usd, input_tokens, output_tokens);
DROP INDEX llm_calls_user;
