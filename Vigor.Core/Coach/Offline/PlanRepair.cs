using Vigor.Core.Exercises;
using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Validation;

namespace Vigor.Core.Coach.Offline;

/// <summary>The generator's validate-and-adjust loop: each round fixes one error by trimming or removing what caused it.</summary>
internal sealed class PlanRepair(ExerciseCatalogue catalogue, PlanValidator validator, PlanContext context, IReadOnlyList<Exercise> pool)
{
    private const int MaxRounds = 200;

    public (Plan Plan, PlanValidation Validation) Run(List<List<DraftItem>> drafts, List<string> names, string planName, string goal, List<string> notes)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            for (var d = 0; d < drafts.Count; d++)
            {
                if (drafts[d].Count == 0)
                    drafts[d].Add(SafeItem(goal, priority: 0));
                drafts[d] = drafts[d].OrderBy(i => i.Position).ThenBy(i => i.Priority).ToList();
            }
            var plan = Emit(drafts, names, planName, goal);
            var validation = validator.Validate(plan, context);
            if (!validation.HasErrors)
                return (plan, validation);
            if (!RepairOnce(drafts, plan, validation))
                break;
        }
        // Only reachable when the profile leaves almost nothing to train: a gentle, always-valid recovery plan.
        notes.Add("Your equipment and injuries leave very few exercises, so this plan starts with gentle recovery work; a coach or physiotherapist can help expand it.");
        var fallback = Emit(drafts.Select(_ => new List<DraftItem> { SafeItem(goal, 0) }).ToList(), names, planName, goal);
        return (fallback, validator.Validate(fallback, context));
    }

    private bool RepairOnce(List<List<DraftItem>> drafts, Plan plan, PlanValidation validation)
    {
        foreach (var (_, later, muscle) in PlanVolume.BackToBackHardDays(plan, catalogue))
        {
            if (PlanFitter.TrimOnce(drafts, muscle, accessoriesOnly: false, minSets: 1, onlyDay: later, mayRemoveMains: true))
                return true;
        }
        foreach (var (muscle, _) in PlanVolume.WeeklySets(plan, catalogue).Where(kv => kv.Value > TrainingLimits.WeeklySetsMaximum))
        {
            if (PlanFitter.TrimOnce(drafts, muscle, accessoriesOnly: false, minSets: 1, mayRemoveMains: true))
                return true;
        }
        foreach (var error in validation.Errors)
        {
            for (var d = 0; d < drafts.Count; d++)
            {
                if (error.Path == PlanPath.Day(d) && drafts[d].Count > 1)
                {
                    drafts[d].Remove(drafts[d].MaxBy(i => i.Priority)!);
                    return true;
                }
                for (var i = 0; i < drafts[d].Count; i++)
                {
                    if (error.Path != PlanPath.Exercise(d, i))
                        continue;
                    var safe = SafeItem(plan.Goal, drafts[d][i].Priority);
                    if (drafts[d].Count > 1)
                        drafts[d].RemoveAt(i);
                    else if (drafts[d][i].Exercise.Id != safe.Exercise.Id)
                        drafts[d][i] = safe;
                    else
                        return false;
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>The gentlest exercise available: mobility work that loads no body area, bodyweight only, beginner level.</summary>
    private DraftItem SafeItem(string goal, int priority)
    {
        var exercise = pool.Where(e => e.Pattern == "mobility").OrderBy(e => e.LoadsAreas.Count).ThenBy(e => e.Id, StringComparer.Ordinal).FirstOrDefault()
            ?? catalogue.All.Where(e => e.Pattern == "mobility" && e.LoadsAreas.Count == 0).OrderBy(e => e.Id, StringComparer.Ordinal).First();
        return new DraftItem(exercise, Prescriber.For(exercise, goal, context), priority, "mobility");
    }

    private static Plan Emit(List<List<DraftItem>> drafts, List<string> names, string planName, string goal) =>
        new(planName, goal, drafts.Select((day, d) => new PlanDay(names[d], day.Select(i => i.Item).ToList())).ToList());
}
