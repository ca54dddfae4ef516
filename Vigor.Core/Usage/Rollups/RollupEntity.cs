using Azure.Data.Tables;

namespace Vigor.Core.Usage.Rollups;

/// <summary>The columns of a rollup row: integer totals, and the ledger position of the last batch applied to it.</summary>
internal static class RollupEntity
{
    public static readonly string[] Columns = ["RowKey", "Requests", "Calls", "InputTokens", "OutputTokens", "CostMicros", "ThroughTx", "ThroughId"];

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

    public static RollupTotals Totals(TableEntity entity) => new(
        entity.GetInt64("Requests") ?? 0,
        entity.GetInt64("Calls") ?? 0,
        entity.GetInt64("InputTokens") ?? 0,
        entity.GetInt64("OutputTokens") ?? 0,
        entity.GetInt64("CostMicros") ?? 0);

    public static LedgerPosition Through(TableEntity entity) => new(entity.GetInt64("ThroughTx") ?? 0, entity.GetInt64("ThroughId") ?? 0);
}
