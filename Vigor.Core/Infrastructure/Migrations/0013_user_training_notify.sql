-- Every instance caches users' computed progress (ProgressCache) and must hear at once when what it is computed from
-- changes: their sessions (and so their lifts and bests), their profile (the level it is judged at) or a plan (the
-- deload targets). The notification is sent at commit, once per user and transaction, to every session listening on
-- vigor_user_training (ChangeListener).

-- A row trigger's function for tables with a user_id: notifies the channel named by the trigger's argument with the
-- user of the old and of the new row.
CREATE FUNCTION notify_user_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM pg_notify(TG_ARGV[0], OLD.user_id::text);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM pg_notify(TG_ARGV[0], NEW.user_id::text);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER workout_logs_training_changed AFTER INSERT OR UPDATE OR DELETE ON workout_logs
    FOR EACH ROW EXECUTE FUNCTION notify_user_row('vigor_user_training');

CREATE TRIGGER profiles_training_changed AFTER INSERT OR UPDATE OR DELETE ON profiles
    FOR EACH ROW EXECUTE FUNCTION notify_user_row('vigor_user_training');

CREATE TRIGGER plans_training_changed AFTER UPDATE OR DELETE ON plans
    FOR EACH ROW EXECUTE FUNCTION notify_user_row('vigor_user_training');
