using Npgsql;

namespace Vigor.Core.Usage.Rollups;

/// <summary>One ledger row as the rollup needs it (cost in micro-dollars: the column is numeric(12,6), so exact).</summary>
internal readonly record struct LedgerRow(
    LedgerPosition Position, int Attempt, Guid? UserId, string Tier, string Feature, Guid? ProviderId, string ProviderKind,
    long InputTokens, long OutputTokens, long CostMicros, bool CacheHit, DateTime CreatedAt);

/// <summary>Reads <c>llm_calls</c> in (tx, id) order, streaming: memory does not grow with the number of rows.</summary>
internal sealed class RollupLedger(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Every transaction with an id below this one has finished, so ledger rows with a lower tx are final: none can
    /// still appear. Rows at or above it are left for a later run.
    /// </summary>
    public async Task<long> HorizonAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Rows after <paramref name="after"/> up to and including <paramref name="upTo"/>, written by transactions below
    /// <paramref name="horizon"/>, at most <paramref name="limit"/> of them (all when null), each handed to <paramref name="visit"/>.
    /// </summary>
    // A data reader rather than Dapper: a backfill streams a million rows through one visitor without a row object each.
    // The ORDER BY names the table's columns: an output column called "tx" (the bigint) would win and defeat the index.
    public async Task<(int Count, LedgerPosition Last)> ReadAsync(
        LedgerPosition after, LedgerPosition upTo, long horizon, int? limit, Action<LedgerRow> visit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT c.tx::text::bigint AS tx_number, c.id, c.attempt, c.user_id, c.tier, c.feature, c.provider_id, c.provider_kind,
                   c.input_tokens, c.output_tokens, (c.cost_usd * 1000000)::bigint AS cost_micros, c.cache_hit, c.created_at
            FROM llm_calls c
            WHERE (c.tx, c.id) > (@afterTx::text::xid8, @afterId)
              AND (c.tx, c.id) <= (@upToTx::text::xid8, @upToId)
              AND c.tx < @horizon::text::xid8
            ORDER BY c.tx, c.id
            LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("afterTx", after.Tx);
        cmd.Parameters.AddWithValue("afterId", after.Id);
        cmd.Parameters.AddWithValue("upToTx", upTo.Tx);
        cmd.Parameters.AddWithValue("upToId", upTo.Id);
        cmd.Parameters.AddWithValue("horizon", horizon);
        cmd.Parameters.Add(new NpgsqlParameter<long?>("limit", limit));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var count = 0;
        var last = after;
        while (await reader.ReadAsync(ct))
        {
            var row = new LedgerRow(
                new LedgerPosition(reader.GetInt64(0), reader.GetInt64(1)),
                reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetGuid(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetGuid(6),
                reader.GetString(7),
                reader.GetInt32(8),
                reader.GetInt32(9),
                reader.GetInt64(10),
                reader.GetBoolean(11),
                reader.GetDateTime(12));
            visit(row);
            last = row.Position;
            count++;
        }
        return (count, last);
    }
}
