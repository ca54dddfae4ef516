using Npgsql;

namespace Vigor.Core.Infrastructure.Data;

/// <summary>
/// One SQL statement with positional parameters (<c>$1</c>, <c>$2</c>, …), so that one component can hand its write to
/// another to send with its own: <see cref="PgBatch"/> sends several in one round trip, run as one transaction. On the
/// gateway's path every round trip is a wait of its own (about half a millisecond on top of the statement itself), so
/// writes that commit together travel together.
/// </summary>
public sealed class PgStatement(string sql, params object?[] arguments)
{
    public string Sql => sql;

    /// <summary>Whether the statement returns rows (a <c>SELECT</c>, a <c>RETURNING</c>): <see cref="PgBatchResult.Rows"/> has them.</summary>
    public bool ReturnsRows { get; init; }

    internal NpgsqlBatchCommand ToCommand()
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var argument in arguments)
            command.Parameters.Add(argument as NpgsqlParameter ?? new NpgsqlParameter { Value = argument ?? DBNull.Value });
        return command;
    }
}

/// <summary>What each statement of a <see cref="PgBatch"/> returned: its rows (column values) and the rows it changed.</summary>
public sealed record PgBatchResult(IReadOnlyList<IReadOnlyList<object?[]>> Rows, IReadOnlyList<int> RecordsAffected);

public static class PgBatch
{
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
        var sets = new List<List<object?[]>>();
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            do
            {
                // Statements without rows have no columns (whether or not the reader stops at them).
                if (reader.FieldCount == 0)
                    continue;
                var set = new List<object?[]>();
                while (await reader.ReadAsync(ct))
                {
                    var values = new object?[reader.FieldCount];
                    reader.GetValues(values!);
                    for (var i = 0; i < values.Length; i++)
                        values[i] = values[i] is DBNull ? null : values[i];
                    set.Add(values);
                }
                sets.Add(set);
            }
            while (await reader.NextResultAsync(ct));
        }
        var next = 0;
        var rows = new List<IReadOnlyList<object?[]>>(statements.Count);
        foreach (var statement in statements)
            rows.Add(statement.ReturnsRows && next < sets.Count ? sets[next++] : []);
        var affected = new int[batch.BatchCommands.Count];
        for (var i = 0; i < affected.Length; i++)
            affected[i] = batch.BatchCommands[i].RecordsAffected;
        return new PgBatchResult(rows, affected);
    }
}
