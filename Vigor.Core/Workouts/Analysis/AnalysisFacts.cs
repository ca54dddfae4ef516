using System.Globalization;
using System.Text;
using Vigor.Core.Progress;

namespace Vigor.Core.Workouts.Analysis;

/// <summary>What the analysis of one logged session rests on: the session, its records, this week's volume, plateaus, deload.</summary>
internal sealed record AnalysisFacts(
    Guid LogId, Guid UserId, bool IsMinor, int Exercises, int Sets, int? Rating, IReadOnlyList<PersonalRecord> Records,
    IReadOnlyList<MuscleVolume> WeekVolume, IReadOnlyList<Plateau> Plateaus, DeloadSuggestion Deload, int StreakWeeks)
{
    /// <summary>The offline coach's analysis: the same facts in plain sentences, deterministic.</summary>
    public string ToText()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"You logged {Exercises} exercises and {Sets} sets.");
        if (Records.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $" New records: {string.Join("; ", Records.Select(r => $"{r.ExerciseId} {r.Kind} {r.Value:0.#} (was {r.Previous:0.#})"))}.");
        var below = WeekVolume.Where(m => m.Status == "below").Select(m => m.Muscle).ToList();
        var above = WeekVolume.Where(m => m.Status == "above").Select(m => m.Muscle).ToList();
        if (below.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $" This week is still light for {string.Join(", ", below)}: add a few sets there if you feel fresh.");
        if (above.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $" You are above the weekly set range for {string.Join(", ", above)}: keep the rest of the week easier on them.");
        if (Plateaus.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $" No e1RM gain lately on {string.Join(", ", Plateaus.Select(p => p.ExerciseId))}: check sleep and recovery, then try a new rep range or a variation.");
        if (Deload.Suggested)
            text.Append(' ').Append(Deload.Message);
        if (StreakWeeks > 1)
            text.Append(CultureInfo.InvariantCulture, $" That's {StreakWeeks} weeks in a row: keep it going.");
        return text.ToString();
    }
}
