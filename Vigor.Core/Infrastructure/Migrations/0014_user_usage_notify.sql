-- Every instance caches users' me/usage answers (UsageCache) and must hear at once when one changes: the user's usage
-- totals (kept by the ledger's triggers of migration 0011, so every ledger write reaches here), the user's tier, or the
-- tier catalogue (payload '*': every answer may change). Sent at commit, once per user and transaction, to every
-- session listening on vigor_user_usage (ChangeListener).
CREATE TRIGGER user_usage_totals_changed AFTER INSERT OR UPDATE OR DELETE ON user_usage_totals
    FOR EACH ROW EXECUTE FUNCTION notify_user_row('vigor_user_usage');

CREATE TRIGGER users_tier_changed AFTER UPDATE OF tier ON users
    FOR EACH ROW WHEN (OLD.tier IS DISTINCT FROM NEW.tier) EXECUTE FUNCTION notify_users_row('vigor_user_usage');

CREATE FUNCTION tier_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('vigor_user_usage', '*');
    RETURN NULL;
END
$$;

CREATE TRIGGER tiers_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tiers
    FOR EACH STATEMENT EXECUTE FUNCTION tier_catalogue_changed();
