-- Several counter_apply calls (migration 0017) in one round trip and one transaction: ICounterStore.ApplyManyAsync. The
-- gateway's reservation (the user's quota and budget, the global budget, the first candidate's provider hold) and its
-- settlement (the same three partitions) were three sequential statements each, three commits and three round trips on
-- every AI request. Operation i changes p_rows[from_i .. from_i + p_counts[i] - 1]; each is counter_apply's all-or-nothing
-- change in its partition. With p_stop the loop ends after the first operation whose outcome is not 0 (applied), and
-- only the operations tried are returned. Callers list partitions in one order (user, global, provider): the row locks
-- are then always taken in that order and two calls cannot deadlock.
CREATE FUNCTION counter_apply_many(p_partitions text[], p_markers text[], p_counts int[], p_rows text[], p_deltas bigint[],
                                   p_limits bigint[], p_stop boolean)
RETURNS TABLE (outcome int, limit_row text) LANGUAGE plpgsql AS $$
DECLARE
    first int := 1;
    last int;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_partitions, 1), 0) LOOP
        last := first + p_counts[i] - 1;
        SELECT c.outcome, c.limit_row INTO outcome, limit_row
        FROM counter_apply(p_partitions[i], p_markers[i], p_rows[first:last], p_deltas[first:last], p_limits[first:last]) c;
        RETURN NEXT;
        EXIT WHEN p_stop AND outcome <> 0;
        first := last + 1;
    END LOOP;
END
$$;
