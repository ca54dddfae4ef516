using Dapper;
using Npgsql;

namespace Vigor.Core.Billing;

/// <summary>Each user's Stripe customer (created once, remembered) and what checkout needs to know about the user.</summary>
internal sealed class BillingAccounts(NpgsqlDataSource dataSource)
{
    public sealed record Account(string Email, string Tier, string? CustomerId, bool HasOpenSubscription);

    public async Task<Account?> GetAsync(Guid userId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var account = await conn.QuerySingleOrDefaultAsync<Account>(new CommandDefinition("""
            SELECT u.email, u.tier, c.customer_id,
                   EXISTS (SELECT 1 FROM billing_subscriptions s WHERE s.user_id = u.id AND s.status = ANY(@open)) AS has_open_subscription
            FROM users u LEFT JOIN billing_customers c ON c.user_id = u.id
            WHERE u.id = @userId
            """, new { userId, open = OpenStatuses }, cancellationToken: ct));
        return account;
    }

    /// <summary>Remembers the user's customer; when another request stored one first, that one is kept and returned.</summary>
    public async Task<string> SaveCustomerAsync(Guid userId, string customerId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<string>(new CommandDefinition("""
            WITH inserted AS (
                INSERT INTO billing_customers (user_id, customer_id) VALUES (@userId, @customerId)
                ON CONFLICT (user_id) DO NOTHING
                RETURNING customer_id)
            SELECT customer_id FROM inserted
            UNION ALL SELECT customer_id FROM billing_customers WHERE user_id = @userId
            LIMIT 1
            """, new { userId, customerId }, cancellationToken: ct)) ?? customerId;
    }

    public async Task<Guid?> FindUserAsync(string customerId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT user_id FROM billing_customers WHERE customer_id = @customerId", new { customerId }, cancellationToken: ct));
    }

    private static readonly string[] OpenStatuses =
        [SubscriptionStatuses.Active, SubscriptionStatuses.Trialing, SubscriptionStatuses.PastDue, SubscriptionStatuses.Unpaid, SubscriptionStatuses.Paused];
}
