using Azure.Data.Tables;

namespace Vigor.Core.Usage.Rollups;

internal sealed record DayTotals(DateOnly Day, RollupTotals Totals);

internal sealed record ScopeTotals(string Scope, RollupTotals Totals);

/// <summary>
/// Reads the rollups: totals per scope (<see cref="RollupScopes"/>) and window (<see cref="UsageWindows.Day"/>,
/// <see cref="UsageWindows.Month"/>), as of the last rollup run (every 5 minutes). A window without usage reads zero.
/// </summary>
internal sealed class UsageRollups(RollupTable table)
{
    public const int MaxDays = 366;

    public async Task<RollupTotals> GetAsync(string scope, string window, CancellationToken ct)
        => (await GetEntryAsync(scope, window, ct)).Totals;

    /// <summary>One entry per day from <paramref name="from"/> to <paramref name="to"/> inclusive.</summary>
    public async Task<IReadOnlyList<DayTotals>> GetDaysAsync(string scope, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var count = to.DayNumber - from.DayNumber + 1;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count, nameof(to));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxDays, nameof(to));
        var days = Enumerable.Range(0, count).Select(from.AddDays).ToList();
        var totals = await Task.WhenAll(days.Select(d => GetAsync(scope, RollupScopes.Day(d), ct)));
        return days.Select((d, i) => new DayTotals(d, totals[i])).ToList();
    }

    /// <summary>Every scope of a kind in a window, e.g. all users in <c>m:2026-11</c> with <c>user:</c> (top users).</summary>
    public async Task<IReadOnlyList<ScopeTotals>> ListAsync(string window, string scopePrefix, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(scopePrefix);
        var client = await table.GetAsync();
        if (scopePrefix == RollupScopes.UserPrefix)
        {
            var users = new List<ScopeTotals>();
            var buckets = TableClient.CreateQueryFilter(
                $"PartitionKey eq {window} and RowKey ge {RollupScopes.UserBucketPrefix} and RowKey lt {RollupScopes.UserBucketPrefix[..^1] + ";"}");
            await foreach (var entity in client.QueryAsync<TableEntity>(buckets, maxPerPage: 100, select: RollupEntity.Columns, cancellationToken: ct))
                users.AddRange(RollupEntity.Users(entity).Select(u => new ScopeTotals(RollupScopes.User(u.Key), u.Value)));
            return users;
        }
        // The prefix's range: from the prefix up to (not including) the prefix with its last character incremented.
        var end = scopePrefix[..^1] + (char)(scopePrefix[^1] + 1);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {window} and RowKey ge {scopePrefix} and RowKey lt {end}");
        var result = new List<ScopeTotals>();
        await foreach (var entity in client.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: RollupEntity.Columns, cancellationToken: ct))
            result.Add(new ScopeTotals(entity.RowKey, RollupEntity.Totals(entity)));
        return result;
    }

    /// <summary>The totals and the ledger position they include everything up to (for this scope and window).</summary>
    internal async Task<(RollupTotals Totals, LedgerPosition Through)> GetEntryAsync(string scope, string window, CancellationToken ct)
    {
        var client = await table.GetAsync();
        var user = scope.StartsWith(RollupScopes.UserPrefix, StringComparison.Ordinal) && Guid.TryParseExact(scope[RollupScopes.UserPrefix.Length..], "N", out var id)
            ? id : (Guid?)null;
        var found = await client.GetEntityIfExistsAsync<TableEntity>(window, user is { } u ? RollupScopes.UserBucket(u) : scope, RollupEntity.Columns, ct);
        if (!found.HasValue)
            return (default, LedgerPosition.Start);
        var totals = user is { } userId ? RollupEntity.Users(found.Value!).GetValueOrDefault(userId) : RollupEntity.Totals(found.Value!);
        return (totals, RollupEntity.Through(found.Value!));
    }
}
