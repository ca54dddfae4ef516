using Vigor.Core.Exercises;
using Vigor.Core.Workouts;

namespace Vigor.Core.Coach.Offline;

/// <summary>Chooses exercises for slots from the exercises a user may do; a pure scoring function, ties broken by id.</summary>
internal sealed class ExercisePicker
{
    private readonly List<Exercise> pool;
    private readonly PlanContext context;
    private readonly string goal;
    private readonly Dictionary<string, int> uses = new(StringComparer.Ordinal);

    public ExercisePicker(ExerciseCatalogue catalogue, PlanContext context, string goal)
    {
        this.context = context;
        this.goal = goal;
        pool = catalogue.All.Where(e => Allowed(e, context)).ToList();
    }

    public IReadOnlyList<Exercise> Pool => pool;

    /// <summary>Equipment, injuries (V9, V11), level (V10) and the flags that narrow the choice (minor, screening).</summary>
    public static bool Allowed(Exercise e, PlanContext context)
    {
        if (!e.IsUsableWith(context.Equipment) || e.LoadsAnyOf(context.InjuredAreas))
            return false;
        if (context.ScreeningFlagged)
            return e.Level == "beginner" && !e.IsOlympic && !e.IsBarbellPowerLift;
        if (context.IsMinor && (e.IsOlympic || e.Level == "expert"))
            return false;
        return context.Level switch
        {
            "advanced" => true,
            "intermediate" => e.Level != "expert",
            _ => e.LevelRank <= 1 && !e.IsOlympic,
        };
    }

    public Exercise? Pick(Slot slot, IReadOnlyCollection<string> usedToday)
    {
        var best = pool
            .Where(e => slot.Patterns.Contains(e.Pattern) && !usedToday.Contains(e.Id))
            .Where(e => slot.Muscles is null || e.PrimaryMuscles.Any(slot.Muscles.Contains))
            .Select(e => (Exercise: e, Score: Score(e, slot)))
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Exercise.Id, StringComparer.Ordinal)
            .Select(s => s.Exercise)
            .FirstOrDefault();
        if (best is not null)
            uses[best.Id] = uses.GetValueOrDefault(best.Id) + 1;
        return best;
    }

    private int Score(Exercise e, Slot slot)
    {
        var score = slot.Role switch
        {
            "main" => (e.IsCompound ? 0 : -8) + (e.IsTimed ? -8 : 0),
            "accessory" or "focus" => (e.IsCompound ? -6 : 0) + (e.IsTimed ? -8 : 0),
            "cardio" => e.IsTimed ? 2 : 0,
            _ => 0,
        };
        // Earlier patterns in a slot are the intent; later ones are stand-ins when equipment or injuries rule it out.
        score -= 4 * Array.IndexOf(slot.Patterns, e.Pattern);
        if (slot.Role == "main" && MainTargets.TryGetValue(e.Pattern, out var targets) && e.PrimaryMuscles.Any(targets.Contains))
            score += 3;
        score += EquipmentScore(e, slot);
        score += LevelScore(e);
        // Variety across the week, except that beginners learn technique faster by repeating a few lifts.
        score -= (context.Level == "beginner" ? 1 : 4) * uses.GetValueOrDefault(e.Id);
        return score;
    }

    /// <summary>The muscles a main lift of each pattern is there to train (an upright row is no lat exercise).</summary>
    private static readonly Dictionary<string, string[]> MainTargets = new(StringComparer.Ordinal)
    {
        ["squat"] = ["quads"],
        ["hinge"] = ["hamstrings", "glutes"],
        ["lunge"] = ["quads", "glutes"],
        ["horizontal_push"] = ["chest"],
        ["vertical_push"] = ["front_delts"],
        ["horizontal_pull"] = ["upper_back", "lats"],
        ["vertical_pull"] = ["lats"],
    };

    private int EquipmentScore(Exercise e, Slot slot)
    {
        var loaded = goal is "strength" or "hypertrophy";
        var best = 0;
        foreach (var kind in e.Equipment)
        {
            var value = kind switch
            {
                "barbell" => loaded && slot.Compound ? 4 : 1,
                "dumbbells" or "machine" or "cable" => loaded ? 3 : 2,
                "kettlebells" => 2,
                "bands" or "pullup_bar" => 1,
                "cardio_machine" => 2,
                _ => 0,
            };
            best = Math.Max(best, value);
        }
        return best;
    }

    private int LevelScore(Exercise e)
    {
        var userRank = ExerciseVocabulary.LevelRank(LevelGuideline.For(context.Level).Level);
        // Above-level exercises only when nothing else fits (V10 warns about them).
        return e.LevelRank > userRank ? -6 : e.LevelRank == 0 && userRank == 0 ? 2 : 1;
    }
}
