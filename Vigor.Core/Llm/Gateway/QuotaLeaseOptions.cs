namespace Vigor.Core.Llm.Gateway;

public sealed class QuotaLeaseOptions
{
    public const string Section = "Llm:QuotaLeases";

    /// <summary>Whether remembered cache hits may be answered from a lease before their writes commit; false: every hit counts in its own round trip.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Most units one lease takes (the database gives at most a quarter of what is left in every window).</summary>
    public int MaxUnits { get; set; } = 16;

    /// <summary>How long a lease may answer hits (never past the end of the day, week or month it counted in).</summary>
    public TimeSpan Life { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A lease unused this long goes back: its unused units leave the counters.</summary>
    public TimeSpan Idle { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A lease whose holder died is closed this long after its expiry (longer than any write after an answer).</summary>
    public TimeSpan ReclaimGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Writes after answers this instance may have running before hits wait for their own writes again (back-pressure).</summary>
    public int MaxPendingWrites { get; set; } = 16;
}
