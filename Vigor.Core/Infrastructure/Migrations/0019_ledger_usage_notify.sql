-- The gateway's ledger writes without a notifying commit (as migration 0016 did for workout logs). Every ledger insert
-- changes the user's usage totals, whose row trigger (migration 0014) made the insert a notifying transaction, and
-- PostgreSQL lets only one notifying commit through at a time. LedgerRepository sets vigor.usage_notify = 'app' for its
-- own statement, which the trigger's WHEN clause skips, and sends the notification after the commit, batched with other
-- users' (ChangeNotifier), before the request goes on. Every other change to the totals (plain SQL, retention) still
-- notifies at commit through the trigger.
DROP TRIGGER user_usage_totals_changed ON user_usage_totals;
CREATE TRIGGER user_usage_totals_changed AFTER INSERT OR UPDATE OR DELETE ON user_usage_totals
    FOR EACH ROW WHEN (current_setting('vigor.usage_notify', true) IS DISTINCT FROM 'app')
    EXECUTE FUNCTION notify_user_row('vigor_user_usage');
