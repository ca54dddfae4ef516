using System.Globalization;
using Vigor.Core.Exercises;
using Vigor.Core.Llm.Gateway;

namespace Vigor.Core.Workouts.Generation;

/// <summary>
/// The plan-generation prompt. It carries nothing personal (level, goals, equipment, injured areas, days, minutes),
/// so identical requests may share the cache. Only exercises the user can do are offered: their equipment (or none),
/// no injured area loaded, nothing above their level.
/// </summary>
internal static class PlanPrompt
{
    private static readonly string[] Levels = ["beginner", "intermediate", "advanced", "expert"];

    public static IReadOnlyList<PromptMessage> Build(PlanContext context, string? focus, ExerciseCatalogue catalogue)
    {
        var level = Array.IndexOf(Levels, context.Level);
        var usable = catalogue.All
            .Where(e => e.Equipment.All(k => k == "bodyweight" || context.Equipment.Contains(k)))
            .Where(e => !e.LoadsAreas.Any(context.InjuredAreas.Contains))
            .Where(e => Array.IndexOf(Levels, e.Level) <= Math.Max(level, 0))
            .Take(120)
            .Select(e => $"{e.Id} | {e.Pattern} | {string.Join(",", e.PrimaryMuscles)}");
        var system = $"""
            You write weekly strength-training plans as one JSON object and nothing else:
            {PlanShape}
            Use only exerciseId values from this list (id | pattern | primary muscles):
            {string.Join("\n", usable)}
            Rules: beginners 2-3 full-body days at targetRir 2-4; intermediate up to 5 days; advanced up to 6; at least one rest day;
            6-10 weekly sets per muscle for beginners, 10-16 intermediate, 12-20 advanced (secondary muscles count half);
            at most 6 sets per exercise and 25 per session; compound lifts before isolation; no failure (targetRir 0) on barbell
            squats, deadlifts, bench presses or Olympic lifts; rest 120-300 s on heavy sets of 1-6 reps; balance pushing and pulling.
            """;
        var user = string.Create(CultureInfo.InvariantCulture, $"""
            Level: {context.Level}. Goals: {string.Join(", ", context.Goals)}. Days per week: {context.DaysPerWeek}.
            Minutes per session: {context.SessionMinutes}. Equipment: {(context.Equipment.Count == 0 ? "bodyweight only" : string.Join(", ", context.Equipment))}.
            {(focus is null ? "" : $"Focus: {focus}.")}{(context.IsMinor ? " The user is under 18: no max-effort work, targetRir at least 2." : "")}
            {(context.ScreeningFlagged ? "Their health screening flagged a risk: low intensity only (targetRir 3+, 10+ reps, beginner exercises)." : "")}
            """);
        return [new PromptMessage("system", system), new PromptMessage("user", user)];
    }

    private const string PlanShape =
        """{"name": string, "goal": string, "days": [{"name": string, "exercises": [{"exerciseId": string, "sets": int, "repsMin": int, "repsMax": int, "targetRir": int, "restSeconds": int}]}]}""";
}
