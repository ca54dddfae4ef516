using Vigor.Core.Exercises;
using Vigor.Core.Workouts;

namespace Vigor.Core.Coach.Offline;

/// <summary>Trims drafted days to the session length, the per-session set cap (V5) and the weekly volume band (V2).</summary>
internal sealed class PlanFitter(ExerciseCatalogue catalogue, string level, GoalPrescription prescription)
{
    /// <summary>Days keep their first three lifts (a squat or hinge, a push, a pull) until nothing else is left to cut.</summary>
    private const int EssentialItems = 3;

    public void FitSession(List<DraftItem> day, int minutes)
    {
        var minSets = Prescriber.MinSets(level);
        while (day.Sum(d => d.Exercise.IsResistance ? d.Item.Sets : 0) > TrainingLimits.MaxSetsPerSession && day.Count > 1)
            day.Remove(LowestPriority(day));
        while (Minutes(day) > minutes)
        {
            if (day.Count > EssentialItems)
                day.Remove(LowestPriority(day));
            else if (day.Where(d => d.Item.Sets > 2).OrderByDescending(d => d.Priority).FirstOrDefault() is { } bigger)
                Replace(day, bigger, bigger.Item with { Sets = bigger.Item.Sets - 1 });
            else if (day.Where(d => d.Item.RestSeconds > MinRest(d)).OrderByDescending(d => d.Priority).FirstOrDefault() is { } rested)
                Replace(day, rested, rested.Item with { RestSeconds = MinRest(rested) });
            else if (day.Count > 1)
                day.Remove(LowestPriority(day));
            else if (day[0].Item.Sets > minSets)
                Replace(day, day[0], day[0].Item with { Sets = day[0].Item.Sets - 1 });
            else if (day[0].Exercise.IsTimed && day[0].Item.RepsMax > 60)
                Replace(day, day[0], Shorter(day[0].Item, minutes));
            else
                break;
        }
    }

    /// <summary>
    /// Brings muscles above the level's weekly band (V2) back into it: accessory sets go first, then main lifts drop to
    /// two sets each, one for beginners (ACSM: 1–3 sets for novices); they are never removed here. Focus work stays.
    /// </summary>
    public void FitWeeklyVolume(List<List<DraftItem>> days)
    {
        var band = LevelGuideline.For(level).WeeklySetsMax;
        TrimWhileOver(days, band, accessoriesOnly: true);
        TrimWhileOver(days, band, accessoriesOnly: false);
    }

    private void TrimWhileOver(List<List<DraftItem>> days, double limit, bool accessoriesOnly)
    {
        var stuck = new HashSet<string>(StringComparer.Ordinal);
        for (var guard = 0; guard < 500; guard++)
        {
            var sets = PlanVolume.Sets(days.SelectMany(d => d).Select(d => d.Item), catalogue, maxRir: null);
            var over = sets.Where(kv => kv.Value > limit && !stuck.Contains(kv.Key))
                .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key).FirstOrDefault();
            if (over is null)
                return;
            if (!TrimOnce(days, over, accessoriesOnly, Prescriber.MinSets(level)))
                stuck.Add(over);
        }
    }

    /// <summary>
    /// Removes one set that trains the muscle (largest credit, lowest priority first); false when nothing may go. Lifts
    /// keep <paramref name="minSets"/>; only accessories (or, when <paramref name="mayRemoveMains"/>, any lift) are removed outright.
    /// </summary>
    public static bool TrimOnce(List<List<DraftItem>> days, string muscle, bool accessoriesOnly, int minSets, int? onlyDay = null, bool mayRemoveMains = false)
    {
        var candidates = days
            .SelectMany((day, d) => day.Select(item => (Day: d, Item: item)))
            .Where(c => onlyDay is null || c.Day == onlyDay)
            .Where(c => c.Item.Exercise.SetCredit(muscle) > 0 && c.Item.Exercise.IsResistance)
            .Where(c => c.Item.Role != "focus" || mayRemoveMains)
            .Where(c => !accessoriesOnly || c.Item.Role is "accessory" or "core")
            .OrderByDescending(c => c.Item.Exercise.SetCredit(muscle))
            .ThenByDescending(c => c.Item.Priority)
            .ThenByDescending(c => c.Day)
            .ToList();
        foreach (var (d, item) in candidates)
        {
            if (item.Item.Sets > minSets)
            {
                Replace(days[d], item, item.Item with { Sets = item.Item.Sets - 1 });
                return true;
            }
            if (days[d].Count > 1 && (mayRemoveMains || item.Role is "accessory" or "core"))
            {
                days[d].Remove(item);
                return true;
            }
        }
        return false;
    }

    /// <summary>The shortest rest the goal allows (V4), and never under 2 minutes after near-maximal sets.</summary>
    private int MinRest(DraftItem d)
    {
        if (!d.Exercise.IsResistance || d.Exercise.IsTimed)
            return d.Item.RestSeconds;
        // Short sessions trade rest for exercises, but not below a minute for compound lifts (ACSM: 1–2 min).
        var floor = Math.Max(prescription.For(d.Exercise.IsCompound).RestMin, d.Exercise.IsCompound ? 60 : 30);
        return d.Item.RepsMin + d.Item.TargetRir <= GoalPrescription.HeavyRepMax ? Math.Max(floor, GoalPrescription.HeavyMinRestSeconds) : floor;
    }

    public double Minutes(List<DraftItem> day) => day.Sum(d => SessionTime.Seconds(d.Item, d.Exercise)) / 60.0;

    private static DraftItem LowestPriority(List<DraftItem> day) => day.MaxBy(d => d.Priority)!;

    private static void Replace(List<DraftItem> day, DraftItem old, PlanExercise item) => day[day.IndexOf(old)] = old with { Item = item };

    private static PlanExercise Shorter(PlanExercise item, int minutes)
    {
        var budget = Math.Max(60, (minutes * 60 - SessionTime.ChangeoverSeconds) / item.Sets - item.RestSeconds);
        var max = Math.Min(item.RepsMax, budget);
        return item with { RepsMax = max, RepsMin = Math.Min(item.RepsMin, max) };
    }
}
