using Dapper;
using Npgsql;

namespace Vigor.Core.Admin;

/// <summary>
/// Tiers with the providers allowed to serve them. Which tiers a provider serves is stored on the provider
/// (<c>llm_providers.tiers</c>, what the router reads), so a tier's provider list is edited there, in the same
/// transaction as the tier and its audit entry.
/// </summary>
internal sealed class TierAdminRepository(NpgsqlDataSource dataSource, Usage.UsageCache usage, Llm.Gateway.LlmHitContexts contexts)
{
    // Classes with setters: Dapper hands text[] over as System.Array, which only a setter accepts.
    private sealed class TierRow
    {
        public string Name { get; init; } = "";
        public decimal PriceUsd { get; init; }
        public int RequestsPerDay { get; init; }
        public int RequestsPerWeek { get; init; }
        public int RequestsPerMonth { get; init; }
        public decimal MonthlyBudgetUsd { get; init; }
        public string[] Features { get; init; } = [];
        public string ModelClass { get; init; } = "";
        public int Priority { get; init; }
        public DateTime UpdatedAt { get; init; }
    }

    private sealed class ProviderTiers
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string Model { get; init; } = "";
        public bool Enabled { get; init; }
        public string[] Tiers { get; init; } = [];
    }

    private const string Columns =
        "name, price_usd, requests_per_day, requests_per_week, requests_per_month, monthly_budget_usd, features, model_class, priority, updated_at";

    public async Task<IReadOnlyList<TierSettings>> ListAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await ReadAsync(conn, null, null, ct);
    }

    /// <summary>The model providers (not the offline coach) by id.</summary>
    public async Task<IReadOnlySet<Guid>> ProviderIdsAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<Guid>(new CommandDefinition("SELECT id FROM llm_providers WHERE kind <> 'offline'", cancellationToken: ct))).ToHashSet();
    }

    /// <summary>Replaces a tier's settings and provider list; null when no tier has that name.</summary>
    public async Task<TierSettings?> UpdateAsync(string name, TierUpdate update, Guid actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var locked = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT name FROM tiers WHERE name = @name FOR UPDATE", new { name }, tx, cancellationToken: ct));
        if (locked is null)
            return null;
        var before = (await ReadAsync(conn, tx, name, ct))[0];
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE tiers SET price_usd = @PriceUsd, requests_per_day = @RequestsPerDay, requests_per_week = @RequestsPerWeek,
                requests_per_month = @RequestsPerMonth, monthly_budget_usd = @MonthlyBudgetUsd, features = @Features, model_class = @ModelClass,
                updated_at = now()
            WHERE name = @name
            """, new { name, update.PriceUsd, update.RequestsPerDay, update.RequestsPerWeek, update.RequestsPerMonth, update.MonthlyBudgetUsd,
                update.Features, update.ModelClass }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE llm_providers SET tiers = array_append(tiers, @name), updated_at = now()
            WHERE id = ANY(@ids) AND kind <> 'offline' AND NOT (@name = ANY(tiers));
            UPDATE llm_providers SET tiers = array_remove(tiers, @name), updated_at = now()
            WHERE NOT (id = ANY(@ids)) AND kind <> 'offline' AND @name = ANY(tiers);
            """, new { name, ids = update.ProviderIds }, tx, cancellationToken: ct));
        var after = (await ReadAsync(conn, tx, name, ct))[0];
        await AuditLog.WriteAsync(conn, tx, new AuditChange(actor, AuditActions.TierUpdate, AuditActions.Tier(name), before, after), ct);
        await tx.CommitAsync(ct);
        usage.InvalidateAll(); // every me/usage of the tier changed; the other instances hear migration 0014's '*'
        contexts.InvalidateAll(); // and every kept AI request context (migration 0030's '*')
        return after;
    }

    private static async Task<IReadOnlyList<TierSettings>> ReadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string? name, CancellationToken ct)
    {
        var tiers = await conn.QueryAsync<TierRow>(new CommandDefinition(
            $"SELECT {Columns} FROM tiers WHERE @name::text IS NULL OR name = @name ORDER BY priority", new { name }, tx, cancellationToken: ct));
        var providers = (await conn.QueryAsync<ProviderTiers>(new CommandDefinition(
            "SELECT id, name, model, enabled, tiers FROM llm_providers WHERE kind <> 'offline' ORDER BY priority, name", transaction: tx, cancellationToken: ct))).AsList();
        return tiers.Select(t =>
        {
            var allowed = providers.Where(p => p.Tiers.Contains(t.Name)).Select(p => new TierProvider(p.Id, p.Name, p.Model, p.Enabled)).ToList();
            return new TierSettings(t.Name, t.PriceUsd, t.RequestsPerDay, t.RequestsPerWeek, t.RequestsPerMonth, t.MonthlyBudgetUsd, t.Features,
                t.ModelClass, t.Priority, allowed.ConvertAll(p => p.Id), allowed, t.UpdatedAt);
        }).ToList();
    }
}
