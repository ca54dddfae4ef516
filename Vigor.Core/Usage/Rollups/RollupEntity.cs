using System.Buffers.Binary;
using Azure.Data.Tables;

namespace Vigor.Core.Usage.Rollups;

/// <summary>
/// The columns of a rollup row: integer totals (scope rows) or each user's totals packed into binary columns (user
/// bucket rows), and the ledger position of the last batch applied to the row.
/// </summary>
internal static class RollupEntity
{
    /// <summary>
    /// At most this many users per bucket row and window (56 bytes each, in 64 KiB binary columns): 256 buckets hold about
    /// a million active users a month. Bounded so that a transaction of <see cref="RollupWriter.BucketsPerTransaction"/>
    /// bucket rows stays under Table Storage's 4 MiB batch payload.
    /// </summary>
    public const int MaxUsersPerBucket = 4_000;

    private const int UserBytes = 56;
    private const int UsersPerColumn = 1_150;
    private static readonly string[] UserColumns = ["Users0", "Users1", "Users2", "Users3"];

    public static readonly string[] Columns =
        ["RowKey", "Requests", "Calls", "InputTokens", "OutputTokens", "CostMicros", "ThroughTx", "ThroughId", .. UserColumns];

    public static bool IsUserBucket(string row) => row.StartsWith(RollupScopes.UserBucketPrefix, StringComparison.Ordinal);

    public static TableEntity Create(string partition, string row, RollupTotals totals, LedgerPosition through) => new(partition, row)
    {
        ["Requests"] = totals.Requests,
        ["Calls"] = totals.Calls,
        ["InputTokens"] = totals.InputTokens,
        ["OutputTokens"] = totals.OutputTokens,
        ["CostMicros"] = totals.CostMicros,
        ["ThroughTx"] = through.Tx,
        ["ThroughId"] = through.Id,
    };

    public static TableEntity CreateUsers(string partition, string row, IReadOnlyDictionary<Guid, RollupTotals> users, LedgerPosition through)
    {
        if (users.Count > MaxUsersPerBucket)
        {
            throw new InvalidOperationException(
                $"Rollup bucket {partition}/{row} would hold {users.Count} users, over {MaxUsersPerBucket}: raise RollupScopes.UserBuckets.");
        }
        var entity = new TableEntity(partition, row) { ["ThroughTx"] = through.Tx, ["ThroughId"] = through.Id };
        var sorted = users.OrderBy(u => u.Key).ToList();
        for (var column = 0; column * UsersPerColumn < sorted.Count; column++)
        {
            var slice = sorted.Skip(column * UsersPerColumn).Take(UsersPerColumn).ToList();
            var bytes = new byte[slice.Count * UserBytes];
            for (var i = 0; i < slice.Count; i++)
            {
                var span = bytes.AsSpan(i * UserBytes, UserBytes);
                slice[i].Key.TryWriteBytes(span);
                var t = slice[i].Value;
                BinaryPrimitives.WriteInt64LittleEndian(span[16..], t.Requests);
                BinaryPrimitives.WriteInt64LittleEndian(span[24..], t.Calls);
                BinaryPrimitives.WriteInt64LittleEndian(span[32..], t.InputTokens);
                BinaryPrimitives.WriteInt64LittleEndian(span[40..], t.OutputTokens);
                BinaryPrimitives.WriteInt64LittleEndian(span[48..], t.CostMicros);
            }
            entity[UserColumns[column]] = bytes;
        }
        return entity;
    }

    public static RollupTotals Totals(TableEntity entity) => new(
        entity.GetInt64("Requests") ?? 0,
        entity.GetInt64("Calls") ?? 0,
        entity.GetInt64("InputTokens") ?? 0,
        entity.GetInt64("OutputTokens") ?? 0,
        entity.GetInt64("CostMicros") ?? 0);

    public static Dictionary<Guid, RollupTotals> Users(TableEntity entity)
    {
        var users = new Dictionary<Guid, RollupTotals>();
        foreach (var column in UserColumns)
        {
            if (entity.GetBinary(column) is not { } bytes)
                break;
            for (var offset = 0; offset + UserBytes <= bytes.Length; offset += UserBytes)
            {
                var span = bytes.AsSpan(offset, UserBytes);
                users[new Guid(span[..16])] = new RollupTotals(
                    BinaryPrimitives.ReadInt64LittleEndian(span[16..]),
                    BinaryPrimitives.ReadInt64LittleEndian(span[24..]),
                    BinaryPrimitives.ReadInt64LittleEndian(span[32..]),
                    BinaryPrimitives.ReadInt64LittleEndian(span[40..]),
                    BinaryPrimitives.ReadInt64LittleEndian(span[48..]));
            }
        }
        return users;
    }

    public static LedgerPosition Through(TableEntity entity) => new(entity.GetInt64("ThroughTx") ?? 0, entity.GetInt64("ThroughId") ?? 0);
}
