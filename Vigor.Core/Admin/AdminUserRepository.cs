using Dapper;
using Npgsql;

namespace Vigor.Core.Admin;

/// <summary>Tier and status changes to users, each in one transaction with its audit entry.</summary>
internal sealed class AdminUserRepository(NpgsqlDataSource dataSource, Auth.AuthStateCache authStates, Usage.UsageCache usage, Llm.Gateway.LlmHitContexts contexts)
{
    public enum Result { Done, Unchanged, NotFound, SelfSuspension, LastAdmin, ActorNotAdmin }

    public sealed record Row(
        Guid Id, string Email, string? DisplayName, string Role, string Tier, string Status, bool IsMinor, DateTime CreatedAt, DateTime UpdatedAt);

    private sealed record TierState(string Tier);

    private sealed record StatusState(string Status, string? Reason = null);

    private const string Columns = "id, email, display_name, role, tier, status, is_minor, created_at, updated_at";

    public async Task<Row?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM users WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<Result> ChangeTierAsync(Guid id, string tier, Guid actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await LockAsync(conn, tx, id, ct) is not { } before)
            return Result.NotFound;
        if (before.Tier == tier)
            return Result.Unchanged;
        await conn.ExecuteAsync(new CommandDefinition("UPDATE users SET tier = @tier, updated_at = now() WHERE id = @id", new { id, tier }, tx, cancellationToken: ct));
        await AuditLog.WriteAsync(conn, tx, new AuditChange(actor, AuditActions.UserTier, AuditActions.User(id), new TierState(before.Tier), new TierState(tier)), ct);
        await tx.CommitAsync(ct);
        // This instance's me/usage is right at once; the others drop their entry when the commit's notification arrives.
        usage.Invalidate(id);
        contexts.Invalidate(id); // AI requests are built from the tier, and leased hits answer from what is kept
        return Result.Done;
    }

    /// <summary>
    /// Suspends or reactivates a user. Suspension also revokes the user's refresh tokens; access tokens stop working at
    /// the next request: authentication's state cache is invalidated here before this returns, and on other instances by the
    /// notification the commit sends (AuthStateCache). The active admins are locked first
    /// (in id order, so concurrent changes cannot deadlock): two admins suspending each other at once cannot leave
    /// none, because the second finds its actor suspended.
    /// </summary>
    public async Task<Result> ChangeStatusAsync(Guid id, string status, string? reason, Guid actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var admins = (await conn.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM users WHERE role = 'admin' AND status = 'active' ORDER BY id FOR UPDATE", transaction: tx, cancellationToken: ct))).AsList();
        if (await LockAsync(conn, tx, id, ct) is not { } before)
            return Result.NotFound;
        if (!admins.Contains(actor))
            return Result.ActorNotAdmin;
        if (status == UserStatuses.Suspended && id == actor)
            return Result.SelfSuspension;
        if (status == UserStatuses.Suspended && admins.Contains(id) && admins.Count == 1)
            return Result.LastAdmin;
        if (before.Status == status)
            return Result.Unchanged;
        await conn.ExecuteAsync(new CommandDefinition("UPDATE users SET status = @status, updated_at = now() WHERE id = @id", new { id, status }, tx, cancellationToken: ct));
        if (status == UserStatuses.Suspended)
        {
            await conn.ExecuteAsync(new CommandDefinition(
                "UPDATE refresh_token_families SET revoked_at = now(), revoked_reason = 'suspended' WHERE user_id = @id AND revoked_at IS NULL",
                new { id }, tx, cancellationToken: ct));
        }
        await AuditLog.WriteAsync(conn, tx,
            new AuditChange(actor, AuditActions.UserStatus, AuditActions.User(id), new StatusState(before.Status), new StatusState(status, reason)), ct);
        await tx.CommitAsync(ct);
        // This instance answers from its cache at once; the others drop their entry when the commit's notification arrives.
        authStates.Invalidate(id);
        return Result.Done;
    }

    private static Task<Row?> LockAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, CancellationToken ct)
        => conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM users WHERE id = @id FOR UPDATE", new { id }, tx, cancellationToken: ct));
}
