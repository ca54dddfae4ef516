namespace Vigor.Core.Workouts;

/// <summary>The rep and rest window a goal allows for one kind of exercise.</summary>
internal sealed record RepWindow(int RepsLow, int RepsHigh, int RestMin, int RestMax);

/// <summary>What a goal prescribes (fitness-science §3.1: NSCA Essentials [10], ACSM 2009 [11]); V4 and the generator share it.</summary>
internal sealed record GoalPrescription(string Goal, RepWindow Compound, RepWindow Isolation)
{
    /// <summary>Reps + RIR ≈ the repetition maximum; ≤6 RM is ≥~85% 1RM (Brzycki), which needs long rests (§3.1: 2–5 min).</summary>
    public const int HeavyRepMax = 6;
    public const int HeavyMinRestSeconds = 120;

    /// <summary>ACSM 2009: novices load 8–12 RM (§3.2), i.e. no heavier than an 8-rep max.</summary>
    public const int BeginnerLightestRepMax = 8;

    public RepWindow For(bool compound) => compound ? Compound : Isolation;

    public static GoalPrescription For(string goal, string level)
    {
        var beginner = level == "beginner";
        return goal switch
        {
            // §3.1 max strength: ≤6 reps, 2–5 min rest; accessories stay in the hypertrophy range. Novices lift 8–12 RM (§3.2).
            "strength" => new(goal, beginner ? new(5, 12, 90, 300) : new(1, 6, 120, 300), new(6, 12, 60, 180)),
            // §3.1 hypertrophy: 6–12 reps, 30 s–1.5 min (NSCA) or 1–2 min (ACSM); isolation work up to 15 reps.
            "hypertrophy" => new(goal, new(6, 12, 30, 150), new(6, 15, 30, 120)),
            // §3.1 muscular endurance: ≥12 reps (ACSM >15), ≤30 s (NSCA) to <90 s (ACSM).
            "endurance" => new(goal, new(12, 25, 15, 90), new(12, 25, 15, 90)),
            // No §3.1 row: general-health reps (8–15) with the shorter rests of endurance work, as circuits do.
            "weight_loss" => new(goal, new(8, 20, 20, 90), new(10, 20, 20, 90)),
            // §3.1 general health: 8–12 reps (10–15 for older or deconditioned people).
            _ => new(goal, new(8, 15, 30, 180), new(8, 15, 30, 120)),
        };
    }
}
