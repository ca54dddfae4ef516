using Dapper;
using Npgsql;

namespace Vigor.Core.Llm.Gateway;

internal sealed class ProviderRepository(NpgsqlDataSource dataSource)
{
    internal const string Columns = """
        id, name, kind, endpoint, model, api_version, use_managed_identity, priority, enabled, tiers,
        input_price_per_million, output_price_per_million, timeout_seconds, daily_cap_usd, monthly_cap_usd, has_secret, created_at, updated_at
        """;

    public async Task<IReadOnlyList<ProviderRow>> ListAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<ProviderRow>(new CommandDefinition($"SELECT {Columns} FROM llm_providers ORDER BY priority, name", cancellationToken: ct))).AsList();
    }

    public async Task<ProviderRow?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ProviderRow>(new CommandDefinition($"SELECT {Columns} FROM llm_providers WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<ProviderRow?> UpsertAsync(ProviderRow row, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ProviderRow>(new CommandDefinition($"""
            INSERT INTO llm_providers (id, name, kind, endpoint, model, api_version, use_managed_identity, priority, enabled, tiers,
                input_price_per_million, output_price_per_million, timeout_seconds, daily_cap_usd, monthly_cap_usd, has_secret)
            VALUES (@Id, @Name, @Kind, @Endpoint, @Model, @ApiVersion, @UseManagedIdentity, @Priority, @Enabled, @Tiers,
                @InputPricePerMillion, @OutputPricePerMillion, @TimeoutSeconds, @DailyCapUsd, @MonthlyCapUsd, @HasSecret)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, endpoint = excluded.endpoint, model = excluded.model,
                api_version = excluded.api_version, use_managed_identity = excluded.use_managed_identity, priority = excluded.priority,
                enabled = excluded.enabled, tiers = excluded.tiers, input_price_per_million = excluded.input_price_per_million,
                output_price_per_million = excluded.output_price_per_million, timeout_seconds = excluded.timeout_seconds,
                daily_cap_usd = excluded.daily_cap_usd, monthly_cap_usd = excluded.monthly_cap_usd, updated_at = now()
            RETURNING {Columns}
            """, row, cancellationToken: ct));
    }

    public async Task MarkSecretAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("UPDATE llm_providers SET has_secret = true, updated_at = now() WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("DELETE FROM llm_providers WHERE id = @id AND kind <> 'offline'", new { id }, cancellationToken: ct)) > 0;
    }
}
