using System.Data.Common;
using Dapper;
using Npgsql;

namespace Vigor.Core.Infrastructure.Data;

/// <summary>
/// One SQL statement with positional parameters (<c>$1</c>, <c>$2</c>, …), so that one component can hand its write to
/// another to send with its own: <see cref="PgBatch"/> sends several in one round trip, run as one transaction. On the
/// gateway's path every round trip is a wait of its own (about half a millisecond on top of the statement itself), so
/// writes that commit together travel together.
/// </summary>
public class PgStatement(string sql, params object?[] arguments)
{
    public string Sql => sql;

    /// <summary>Whether the statement returns rows (a <c>SELECT</c>, a <c>RETURNING</c>): <see cref="PgBatchResult.Rows"/> has them.</summary>
    public bool ReturnsRows { get; init; }

    /// <summary>The start of the statement's result set (a <see cref="PgQuery{T}"/> builds its row mapper here).</summary>
    internal virtual void BeginRows(DbDataReader reader)
    {
    }

    /// <summary>One row of the statement's result; kept as column values unless a subclass maps it.</summary>
    internal virtual void ReadRow(DbDataReader reader, List<object?[]> rows)
    {
        var values = new object?[reader.FieldCount];
        reader.GetValues(values!);
        for (var i = 0; i < values.Length; i++)
            values[i] = values[i] is DBNull ? null : values[i];
        rows.Add(values);
    }

    internal NpgsqlBatchCommand ToCommand()
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var argument in arguments)
            command.Parameters.Add(argument as NpgsqlParameter ?? new NpgsqlParameter { Value = argument ?? DBNull.Value });
        return command;
    }
}

/// <summary>
/// A query whose rows Dapper maps to <typeparamref name="T"/>, with the type map the repositories' own queries use, so a
/// repository's read can travel in another component's batch (<see cref="PgBatch"/>) and read exactly as it does alone.
/// </summary>
public sealed class PgQuery<T> : PgStatement
{
    private Func<DbDataReader, T>? parser;

    public PgQuery(string sql, params object?[] arguments) : base(sql, arguments) => ReturnsRows = true;

    /// <summary>The rows, once the batch has run.</summary>
    public List<T> Results { get; } = [];

    internal override void BeginRows(DbDataReader reader) => parser = reader.GetRowParser<T>();

    internal override void ReadRow(DbDataReader reader, List<object?[]> rows) => Results.Add(parser!(reader));
}

/// <summary>
/// What each statement of a <see cref="PgBatch"/> returned: its rows as column values (a <see cref="PgQuery{T}"/> keeps its
/// mapped rows in <see cref="PgQuery{T}.Results"/> instead) and the rows it changed.
/// </summary>
public sealed record PgBatchResult(IReadOnlyList<IReadOnlyList<object?[]>> Rows, IReadOnlyList<int> RecordsAffected);

public static class PgBatch
{
    /// <summary>The clock's time as a <c>timestamptz</c> column keeps it (to the microsecond), for a value the app writes and answers with.</summary>
    public static DateTime Timestamp(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    /// <summary>
    /// Runs <paramref name="statements"/> in order in one round trip and one implicit transaction: all of them commit, or
    /// none (the first error rolls the whole batch back and is thrown).
    /// </summary>
    public static async Task<PgBatchResult> ExecuteAsync(NpgsqlDataSource dataSource, IReadOnlyList<PgStatement> statements, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        foreach (var statement in statements)
            batch.BatchCommands.Add(statement.ToCommand());
        var rows = statements.Select(_ => new List<object?[]>()).ToList();
        var readers = Enumerable.Range(0, statements.Count).Where(i => statements[i].ReturnsRows).GetEnumerator();
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            do
            {
                // Statements without rows have no columns (whether or not the reader stops at them).
                if (reader.FieldCount == 0 || !readers.MoveNext())
                    continue;
                var statement = statements[readers.Current];
                statement.BeginRows(reader);
                while (await reader.ReadAsync(ct))
                    statement.ReadRow(reader, rows[readers.Current]);
            }
            while (await reader.NextResultAsync(ct));
        }
        var affected = new int[batch.BatchCommands.Count];
        for (var i = 0; i < affected.Length; i++)
            affected[i] = batch.BatchCommands[i].RecordsAffected;
        return new PgBatchResult(rows, affected);
    }
}
