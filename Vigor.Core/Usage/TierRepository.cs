using Dapper;
using Npgsql;

namespace Vigor.Core.Usage;

internal sealed class TierRepository(NpgsqlDataSource dataSource)
{
    private const string Columns = "name, price_usd, requests_per_day, requests_per_week, requests_per_month, monthly_budget_usd, features, model_class, priority";

    public async Task<IReadOnlyList<Tier>> ListAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<Tier>(new CommandDefinition($"SELECT {Columns} FROM tiers ORDER BY priority", cancellationToken: ct))).AsList();
    }

    public async Task<Tier?> GetAsync(string name, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Tier>(new CommandDefinition($"SELECT {Columns} FROM tiers WHERE name = @name", new { name }, cancellationToken: ct));
    }
}
