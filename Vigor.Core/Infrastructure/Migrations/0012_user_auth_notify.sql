-- Every instance caches users' role and status (AuthStateCache) and must hear at once when either changes or a user is
-- deleted: the notification is sent at commit, to every session listening on vigor_user_auth (ChangeListener).

-- A row trigger's function for users: notifies the channel named by the trigger's argument with the user's id.
CREATE FUNCTION notify_users_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_ARGV[0], OLD.id::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER users_auth_changed_update AFTER UPDATE OF status, role ON users
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.role IS DISTINCT FROM NEW.role)
    EXECUTE FUNCTION notify_users_row('vigor_user_auth');

CREATE TRIGGER users_auth_changed_delete AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION notify_users_row('vigor_user_auth');
