using Vigor.Core.Exercises;
using Vigor.Core.Profiles;
using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Validation;

namespace Vigor.Core.Coach.Offline;

/// <summary>
/// Builds a plan without a model: deterministic (same inputs, same plan), within the user's equipment, injuries, level,
/// days and minutes, and always free of validator errors (build, validate, repair; a safe fallback as the last resort).
/// </summary>
internal sealed class OfflinePlanGenerator(ExerciseCatalogue catalogue, PlanValidator validator)
{
    public GeneratedPlan Generate(PlanContext profile, PlanRequest? request = null)
    {
        request ??= new PlanRequest();
        var notes = new List<string>();
        var context = ContextFor(profile, request);
        var level = LevelGuideline.For(context.Level);
        var goal = ResolveGoal(context, request, notes);
        var days = ResolveDays(context, level, notes);
        var picker = new ExercisePicker(catalogue, context, goal);
        var fitter = new PlanFitter(catalogue, level.Level, GoalPrescription.For(goal, level.Level));
        var focus = FocusMuscles(context.Focus, notes);
        if (context.InjuredAreas.Count > 0)
            notes.Add($"Exercises that load your {string.Join(", ", context.InjuredAreas)} are left out; ask a physiotherapist before training that area again.");

        var drafts = new List<List<DraftItem>>();
        var names = new List<string>();
        for (var d = 0; d < days; d++)
        {
            var (name, slots) = SplitTemplates.Day(d, days, goal);
            foreach (var muscle in focus)
                slots.Insert(Math.Min(3, slots.Count), new Slot("focus", ExerciseVocabulary.Patterns.Where(p => p is not ("cardio" or "mobility")).ToArray(), false, [muscle]));
            var day = Draft(slots, picker, goal, context);
            fitter.FitSession(day, context.SessionMinutes);
            drafts.Add(day);
            names.Add(name);
        }
        fitter.FitWeeklyVolume(drafts);
        var repair = new PlanRepair(catalogue, validator, context, picker.Pool);
        var (plan, validation) = repair.Run(drafts, names, PlanName(days, goal), goal, notes);
        notes.Add($"Each session is planned to fit {context.SessionMinutes} minutes, rests included; add a few minutes to warm up.");
        return new GeneratedPlan(plan, notes, validation, context);
    }

    private static List<DraftItem> Draft(List<Slot> slots, ExercisePicker picker, string goal, PlanContext context)
    {
        var day = new List<DraftItem>();
        for (var priority = 0; priority < slots.Count; priority++)
        {
            var slot = slots[priority];
            if (picker.Pick(slot, day.Select(d => d.Exercise.Id).ToList()) is { } exercise)
                day.Add(new DraftItem(exercise, Prescriber.For(exercise, goal, context), priority, slot.Role));
        }
        return day;
    }

    /// <summary>
    /// The profile with the request's overrides; the plan is validated against this, so V1 sees the days asked for. The
    /// context of <see cref="Generate"/>'s result, without building a plan (AI plan generation needs only the context).
    /// </summary>
    public static PlanContext ContextFor(PlanContext profile, PlanRequest request) => profile with
    {
        Level = LevelGuideline.For(profile.Level).Level,
        DaysPerWeek = Math.Clamp(request.DaysPerWeek ?? profile.DaysPerWeek, 1, 7),
        SessionMinutes = Math.Clamp(request.SessionMinutes ?? profile.SessionMinutes, 15, 120),
        Focus = request.Focus ?? profile.Focus,
        // The generator proposes no loads, so V6's load steps do not apply to its output.
        LoadSteps = null,
    };

    private static string ResolveGoal(PlanContext context, PlanRequest request, List<string> notes)
    {
        var goal = new[] { request.Goal }.Concat(context.Goals).FirstOrDefault(g => g is not null && ProfileVocabulary.Goals.Contains(g)) ?? "general_fitness";
        if (context.ScreeningFlagged)
        {
            notes.Add("Some of your health screening answers mean you should check with a doctor or qualified professional before training hard. Until then this plan keeps to gentle, low-intensity work.");
            return "general_fitness";
        }
        if (context.IsMinor)
        {
            notes.Add("Every set stops with at least 3 reps in reserve, and there is no maximum testing.");
            if (goal == "weight_loss")
                return "general_fitness";
        }
        return goal;
    }

    private static int ResolveDays(PlanContext context, LevelGuideline level, List<string> notes)
    {
        var days = Math.Min(context.DaysPerWeek, TrainingLimits.MaxDaysPerWeek);
        if (context.DaysPerWeek > TrainingLimits.MaxDaysPerWeek)
            notes.Add($"You have {context.DaysPerWeek} days available; the plan uses {days} and keeps one full rest day a week.");
        if (days > level.MaxDaysPerWeek)
        {
            notes.Add($"You asked for {days} days a week; at the {level.Level} level {level.MaxDaysPerWeek} days gives the best progress with enough recovery, so this plan has {level.MaxDaysPerWeek}.");
            days = level.MaxDaysPerWeek;
        }
        return days;
    }

    private string[] FocusMuscles(string? focus, List<string> notes)
    {
        if (string.IsNullOrWhiteSpace(focus) || focus == "upper_body")
            return [];
        var muscles = catalogue.ResolveMuscles(focus).Order(StringComparer.Ordinal).Take(2).ToArray();
        if (muscles.Length == 0)
            notes.Add($"The focus '{focus}' is not a muscle we know, so the plan stays balanced.");
        return muscles;
    }

    private static string PlanName(int days, string goal) => $"{days}-Day {SplitTemplates.SplitName(days)} {GoalTitle(goal)}";

    /// <summary>Titles avoid weight-loss framing (product.md: minors get none; adults see "Conditioning").</summary>
    private static string GoalTitle(string goal) => goal switch
    {
        "strength" => "Strength",
        "hypertrophy" => "Muscle Building",
        "endurance" => "Endurance",
        "weight_loss" => "Conditioning",
        "mobility" => "Mobility",
        _ => "General Fitness",
    };
}
