namespace Vigor.Core.Progress;

/// <summary>
/// e1RM formulas (fitness-science §3.6). Prediction equations hold up to about 10 reps (LeSuer 1997), so an estimate is
/// made only from weighted sets of 1–10 reps logged at RIR ≤3 (or without RIR). When RIR is logged, the formula uses
/// reps + RIR (the reps the lifter could have done, as wger's PR check does), so 8 reps at RIR 2 counts as a 10-rep max.
/// </summary>
internal static class OneRepMax
{
    public const int MaxReps = 10;
    public const int MaxRir = 3;

    /// <summary>Epley (1985): w × (1 + r/30).</summary>
    public static double Epley(double weightKg, int reps) => weightKg * (1 + reps / 30.0);

    /// <summary>Brzycki (1993): w × 36 / (37 − r); undefined at r ≥ 37, which the rep cap rules out.</summary>
    public static double Brzycki(double weightKg, int reps) => weightKg * 36 / (37 - reps);

    public static E1rm? Estimate(LoggedSet set)
    {
        if (set.WeightKg is not > 0 || set.Reps is < 1 or > MaxReps || set.Rir is < 0 or > MaxRir)
            return null;
        var reps = set.Reps + (set.Rir ?? 0);
        var weight = set.WeightKg.Value;
        return new E1rm(Epley(weight, reps), Brzycki(weight, reps));
    }
}
