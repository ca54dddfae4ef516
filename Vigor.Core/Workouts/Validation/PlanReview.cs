using Vigor.Core.Exercises;

namespace Vigor.Core.Workouts.Validation;

/// <summary>One exercise of a plan with its position and catalogue entry (null when the id is unknown).</summary>
internal sealed record PlanEntry(int Day, int Index, PlanExercise Item, Exercise? Exercise)
{
    public string Path => PlanPath.Exercise(Day, Index);

    public string Label => $"{Exercise?.Name ?? Item.ExerciseId} (day {Day + 1})";
}

/// <summary>What every check reads: the plan, the user's context and the plan's exercises resolved against the catalogue.</summary>
internal sealed class PlanReview
{
    public PlanReview(Plan plan, PlanContext context, ExerciseCatalogue catalogue)
    {
        // Plans arrive from JSON: a missing list reads as empty and is then reported by the structure check.
        plan = plan with { Days = (plan.Days ?? []).Select(d => d is null ? new PlanDay("", []) : d with { Exercises = d.Exercises ?? [] }).ToList() };
        Plan = plan;
        Context = context;
        Catalogue = catalogue;
        Entries = plan.Days
            .SelectMany((day, d) => day.Exercises.Select((item, i) => (Item: item, Index: i)).Where(x => x.Item is not null)
                .Select(x => new PlanEntry(d, x.Index, x.Item, catalogue.Find(x.Item.ExerciseId))))
            .ToList();
        Guideline = LevelGuideline.For(context.Level);
    }

    public Plan Plan { get; }

    public PlanContext Context { get; }

    public ExerciseCatalogue Catalogue { get; }

    public LevelGuideline Guideline { get; }

    public IReadOnlyList<PlanEntry> Entries { get; }

    /// <summary>Entries whose exercise is known; unknown ids are reported once, by the structure check.</summary>
    public IEnumerable<(PlanEntry Entry, Exercise Exercise)> Known =>
        Entries.Where(e => e.Exercise is not null).Select(e => (e, e.Exercise!));

    public string DayName(int day) => Plan.Days[day].Name is { Length: > 0 } name ? $"'{name}' (day {day + 1})" : $"day {day + 1}";
}
