-- POST workouts/logs without a notifying commit (bench/training.sh, run A). PostgreSQL serialises the commits of
-- notifying transactions (PreCommit_Notify holds one lock on the database through the commit), and with the row trigger
-- of migration 0013 every log was one: at 32 connections most backends waited on that lock. insert_workout_log now runs
-- with vigor.training_notify = 'app', which the trigger's WHEN clause skips, and the app sends the notification itself
-- after the commit, batched with other users' (ChangeNotifier), before it answers. Every other write to workout_logs
-- (deletes, plain SQL) still notifies at commit through the trigger.
DROP TRIGGER workout_logs_training_changed ON workout_logs;
CREATE TRIGGER workout_logs_training_changed AFTER INSERT OR UPDATE OR DELETE ON workout_logs
    FOR EACH ROW WHEN (current_setting('vigor.training_notify', true) IS DISTINCT FROM 'app')
    EXECUTE FUNCTION notify_user_row('vigor_user_training');

-- enable_seqscan = off: the function's statements are index probes; its generic plans are made once per connection, and
-- made on tables autovacuum has not analysed yet (a fresh database) they scanned workout_bests for every probe.
ALTER FUNCTION insert_workout_log(uuid, uuid, uuid, timestamptz, int, jsonb, int, text, text[], int[], int[], float8[],
                                  float8[], float8[], float8[], int[])
    SET vigor.training_notify = 'app' SET enable_seqscan = off;
