using Dapper;
using Npgsql;
using Vigor.Core.Llm.Gateway;

namespace Vigor.Core.Admin;

/// <summary>
/// Provider changes made by admins: each one and its audit entry in one transaction, the row locked while it is
/// read for the "before" state. The built-in offline coach row is never changed here.
/// </summary>
internal sealed class ProviderAdminRepository(NpgsqlDataSource dataSource)
{
    public enum Result { Done, NotFound, BuiltIn, DuplicateName }

    private const string UniqueViolation = "23505";
    private const string Columns = ProviderRepository.Columns;

    public async Task<(Result Result, ProviderRow? Row)> CreateAsync(ProviderRow row, Guid actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        try
        {
            var created = await conn.QuerySingleAsync<ProviderRow>(new CommandDefinition($"""
                INSERT INTO llm_providers (id, name, kind, endpoint, model, api_version, use_managed_identity, priority, enabled, tiers,
                    input_price_per_million, output_price_per_million, timeout_seconds, daily_cap_usd, monthly_cap_usd)
                VALUES (@Id, @Name, @Kind, @Endpoint, @Model, @ApiVersion, @UseManagedIdentity, @Priority, @Enabled, @Tiers,
                    @InputPricePerMillion, @OutputPricePerMillion, @TimeoutSeconds, @DailyCapUsd, @MonthlyCapUsd)
                RETURNING {Columns}
                """, row, tx, cancellationToken: ct));
            await AuditLog.WriteAsync(conn, tx, new AuditChange(actor, AuditActions.ProviderCreate, AuditActions.Provider(created.Id), null, ProviderDto.From(created)), ct);
            await tx.CommitAsync(ct);
            return (Result.Done, created);
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            return (Result.DuplicateName, null);
        }
    }

    public async Task<(Result Result, ProviderRow? Row)> UpdateAsync(ProviderRow row, Guid actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = await LockAsync(conn, tx, row.Id, ct);
        if (before is null || before.IsOffline)
            return (before is null ? Result.NotFound : Result.BuiltIn, null);
        // A key follows its provider only to the same kind and origin: repointing a provider must not send its key elsewhere.
        var args = new DynamicParameters(row);
        args.Add("KeepsSecret", before.HasSecret && before.Kind == row.Kind && ProviderEndpointPolicy.SameOrigin(before.Endpoint, row.Endpoint));
        try
        {
            var after = await conn.QuerySingleAsync<ProviderRow>(new CommandDefinition($"""
                UPDATE llm_providers SET name = @Name, kind = @Kind, endpoint = @Endpoint, model = @Model, api_version = @ApiVersion,
                    use_managed_identity = @UseManagedIdentity, priority = @Priority, enabled = @Enabled, tiers = @Tiers,
                    input_price_per_million = @InputPricePerMillion, output_price_per_million = @OutputPricePerMillion,
                    timeout_seconds = @TimeoutSeconds, daily_cap_usd = @DailyCapUsd, monthly_cap_usd = @MonthlyCapUsd, has_secret = @KeepsSecret, updated_at = now()
                WHERE id = @Id
                RETURNING {Columns}
                """, args, tx, cancellationToken: ct));
            await AuditLog.WriteAsync(conn, tx, new AuditChange(actor, AuditActions.ProviderUpdate, AuditActions.Provider(row.Id), ProviderDto.From(before), ProviderDto.From(after)), ct);
            await tx.CommitAsync(ct);
            return (Result.Done, after);
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            return (Result.DuplicateName, null);
        }
    }

    public async Task<(Result Result, ProviderRow? Row)> DeleteAsync(Guid id, Guid actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = await LockAsync(conn, tx, id, ct);
        if (before is null || before.IsOffline)
            return (before is null ? Result.NotFound : Result.BuiltIn, null);
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM llm_providers WHERE id = @id", new { id }, tx, cancellationToken: ct));
        await AuditLog.WriteAsync(conn, tx, new AuditChange(actor, AuditActions.ProviderDelete, AuditActions.Provider(id), ProviderDto.From(before), null), ct);
        await tx.CommitAsync(ct);
        return (Result.Done, before);
    }

    /// <summary>Records that the provider's key was set; the key itself is in the secret store and nowhere else.</summary>
    public async Task<(Result Result, ProviderRow? Row)> MarkSecretSetAsync(Guid id, Guid actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = await LockAsync(conn, tx, id, ct);
        if (before is null || before.IsOffline)
            return (before is null ? Result.NotFound : Result.BuiltIn, null);
        var after = await conn.QuerySingleAsync<ProviderRow>(new CommandDefinition(
            $"UPDATE llm_providers SET has_secret = true, updated_at = now() WHERE id = @id RETURNING {Columns}", new { id }, tx, cancellationToken: ct));
        await AuditLog.WriteAsync(conn, tx, new AuditChange(actor, AuditActions.ProviderSecretSet, AuditActions.Provider(id),
            new { before.HasSecret }, new { HasSecret = true, Secret = "set" }), ct);
        await tx.CommitAsync(ct);
        return (Result.Done, after);
    }

    private static Task<ProviderRow?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, CancellationToken ct)
        => conn.QuerySingleOrDefaultAsync<ProviderRow>(new CommandDefinition($"SELECT {Columns} FROM llm_providers WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct));
}
