using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Vigor.Core.Admin;

namespace Vigor.Core.Billing;

/// <summary>
/// Billing's writes, each in one transaction: the event id is inserted first (a duplicate stops there, and
/// concurrent deliveries of one event wait on its primary key), then the user's row is locked, the subscription's
/// state stored unless a newer one already is, and the user's tier recomputed from all their subscriptions.
/// A tier change is audit-logged in the same transaction.
/// </summary>
internal sealed class BillingLedger(NpgsqlDataSource dataSource, IOptions<BillingOptions> options, Usage.UsageCache usage, Llm.Gateway.LlmHitContexts contexts)
{
    /// <summary>The audit log's actor for changes Stripe or the expiry timer make: no person, so the nil id.</summary>
    public static readonly Guid SystemActor = Guid.Empty;

    public async Task<bool> IsRecordedAsync(string eventId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM billing_events WHERE id = @eventId)", new { eventId }, cancellationToken: ct));
    }

    /// <summary>Records the event once and applies its subscription state (when given) to the user.</summary>
    public async Task<string> RecordAsync(StripeEvent e, Guid? userId, SubscriptionSnapshot? state, string outcome, DateTime now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var inserted = await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO billing_events (id, type, created, outcome) VALUES (@Id, @Type, @Created, @outcome)
            ON CONFLICT (id) DO NOTHING
            """, new { e.Id, e.Type, e.Created, outcome }, tx, cancellationToken: ct));
        if (inserted == 0)
            return BillingOutcomes.Duplicate;

        if (userId is { } user && state is not null)
        {
            if (await LockTierAsync(conn, tx, user, ct) is not { } tier)
                outcome = BillingOutcomes.UnknownUser;
            else
            {
                await conn.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO billing_customers (user_id, customer_id) VALUES (@user, @CustomerId)
                    ON CONFLICT DO NOTHING
                    """, new { user, state.CustomerId }, tx, cancellationToken: ct));
                await StoreAsync(conn, tx, user, state, ct);
                outcome = await RecomputeAsync(conn, tx, user, tier, now, $"{e.Type} {e.Id}", ct);
            }
            await conn.ExecuteAsync(new CommandDefinition("UPDATE billing_events SET outcome = @outcome WHERE id = @Id", new { outcome, e.Id }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        if (outcome == BillingOutcomes.TierChanged && userId is { } changed)
        {
            usage.Invalidate(changed); // this instance's me/usage at once; the others hear migration 0014's notification
            contexts.Invalidate(changed); // and its kept AI request contexts (migration 0030's notification for the others)
        }
        return outcome;
    }

    /// <summary>Users whose tier a scheduled cancellation or an expired grace period may have ended by <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<Guid>> ExpiryCandidatesAsync(DateTime now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<Guid>(new CommandDefinition("""
            SELECT DISTINCT s.user_id
            FROM billing_subscriptions s JOIN users u ON u.id = s.user_id
            WHERE u.tier <> @free
              AND s.status IN ('active', 'trialing', 'past_due')
              AND (COALESCE(s.cancel_at, CASE WHEN s.cancel_at_period_end THEN s.current_period_end END) <= @now
                   OR s.past_due_since <= @now - @grace)
            """, new { free = BillingTiers.Free, now, grace = options.Value.GracePeriod }, cancellationToken: ct))).AsList();
    }

    /// <summary>Recomputes one user's tier at <paramref name="now"/>; returns the outcome (tier changed or not).</summary>
    public async Task<string> ExpireAsync(Guid userId, DateTime now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var outcome = await LockTierAsync(conn, tx, userId, ct) is { } tier
            ? await RecomputeAsync(conn, tx, userId, tier, now, "expiry", ct)
            : BillingOutcomes.UnknownUser;
        await tx.CommitAsync(ct);
        if (outcome == BillingOutcomes.TierChanged)
        {
            usage.Invalidate(userId);
            contexts.Invalidate(userId);
        }
        return outcome;
    }

    private static Task<string?> LockTierAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid userId, CancellationToken ct)
        => conn.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT tier FROM users WHERE id = @userId FOR UPDATE", new { userId }, tx, cancellationToken: ct));

    // The guard on state_at is what makes delivery order irrelevant: a state read earlier never replaces a later one.
    private static Task StoreAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid userId, SubscriptionSnapshot s, CancellationToken ct)
        => conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO billing_subscriptions AS s (id, user_id, customer_id, status, price_id, tier, current_period_end, cancel_at_period_end,
                                                   cancel_at, past_due_since, state_at)
            VALUES (@Id, @userId, @CustomerId, @Status, @PriceId, @Tier, @CurrentPeriodEnd, @CancelAtPeriodEnd,
                    @CancelAt, CASE WHEN @Status = 'past_due' THEN @ReadAt END, @ReadAt)
            ON CONFLICT (id) DO UPDATE SET
                status = excluded.status, price_id = excluded.price_id, tier = excluded.tier,
                current_period_end = excluded.current_period_end, cancel_at_period_end = excluded.cancel_at_period_end,
                cancel_at = excluded.cancel_at,
                past_due_since = CASE WHEN excluded.status = 'past_due' THEN COALESCE(s.past_due_since, excluded.past_due_since) END,
                state_at = excluded.state_at, updated_at = now()
            WHERE s.state_at < excluded.state_at
            """, new { s.Id, userId, s.CustomerId, s.Status, s.PriceId, s.Tier, s.CurrentPeriodEnd, s.CancelAtPeriodEnd, s.CancelAt, s.ReadAt },
            tx, cancellationToken: ct));

    private async Task<string> RecomputeAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid userId, string current, DateTime now, string reason, CancellationToken ct)
    {
        var subscriptions = (await conn.QueryAsync<StoredSubscription>(new CommandDefinition("""
            SELECT s.id, s.status, s.tier, t.priority AS tier_priority, s.current_period_end, s.cancel_at_period_end, s.cancel_at, s.past_due_since
            FROM billing_subscriptions s LEFT JOIN tiers t ON t.name = s.tier
            WHERE s.user_id = @userId
            """, new { userId }, tx, cancellationToken: ct))).AsList();
        var tier = Entitlement.TierAt(subscriptions, now, options.Value.GracePeriod);
        if (tier == current)
            return BillingOutcomes.Applied;

        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET tier = @tier, updated_at = now() WHERE id = @userId", new { tier, userId }, tx, cancellationToken: ct));
        var paying = subscriptions.Where(s => Entitlement.Pays(s, now, options.Value.GracePeriod)).Select(s => s.Id).FirstOrDefault();
        await AuditLog.WriteAsync(conn, tx, new AuditChange(SystemActor, BillingOutcomes.AuditAction, "user:" + userId,
            new { tier = current }, new { tier, subscriptionId = paying, reason }), ct);
        return BillingOutcomes.TierChanged;
    }
}

public static class BillingOutcomes
{
    public const string Applied = "applied";
    public const string TierChanged = "tier_changed";
    public const string Duplicate = "duplicate";
    public const string Ignored = "ignored";
    public const string UnknownCustomer = "unknown_customer";
    public const string UnknownUser = "unknown_user";
    public const string AuditAction = "billing.tier_change";
}
