using System.Globalization;

namespace Vigor.Core.Usage.Rollups;

/// <summary>
/// A place in the ledger in commit-safe order: (writing transaction id, row id). See migration 0006 for why the
/// transaction id comes first.
/// </summary>
internal readonly record struct LedgerPosition(long Tx, long Id) : IComparable<LedgerPosition>
{
    public static readonly LedgerPosition Start = new(0, 0);

    public int CompareTo(LedgerPosition other) => Tx != other.Tx ? Tx.CompareTo(other.Tx) : Id.CompareTo(other.Id);

    public static bool operator <(LedgerPosition a, LedgerPosition b) => a.CompareTo(b) < 0;

    public static bool operator >(LedgerPosition a, LedgerPosition b) => a.CompareTo(b) > 0;

    public static bool operator <=(LedgerPosition a, LedgerPosition b) => a.CompareTo(b) <= 0;

    public static bool operator >=(LedgerPosition a, LedgerPosition b) => a.CompareTo(b) >= 0;

    public static LedgerPosition Max(LedgerPosition a, LedgerPosition b) => a >= b ? a : b;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Tx}.{Id}");
}
