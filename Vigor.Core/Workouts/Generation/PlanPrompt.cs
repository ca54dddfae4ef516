using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
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

    // The system message depends only on the catalogue (immutable), the level and the sets of equipment and injured
    // areas, and it is most of the prompt's cost (the catalogue filtered and formatted: ~10 % of a cache hit's host CPU
    // in perf). It is kept per catalogue and combination, at most MaxSystemMessages of them.
    private const int MaxSystemMessages = 4096;
    private static readonly ConditionalWeakTable<ExerciseCatalogue, ConcurrentDictionary<string, string>> SystemMessages = new();

    public static IReadOnlyList<PromptMessage> Build(PlanContext context, string? focus, ExerciseCatalogue catalogue)
    {
        var level = Math.Max(Array.IndexOf(Levels, context.Level), 0);
        var memo = SystemMessages.GetValue(catalogue, _ => new(StringComparer.Ordinal));
        var key = string.Join('\n', level, SetKey(context.Equipment), SetKey(context.InjuredAreas));
        if (!memo.TryGetValue(key, out var system))
        {
            system = SystemMessage(catalogue, level, context.Equipment, context.InjuredAreas);
            if (memo.Count >= MaxSystemMessages)
                memo.Clear();
            memo[key] = system;
        }
        var user = string.Create(CultureInfo.InvariantCulture, $"""
            Level: {context.Level}. Goals: {string.Join(", ", context.Goals)}. Days per week: {context.DaysPerWeek}.
            Minutes per session: {context.SessionMinutes}. Equipment: {(context.Equipment.Count == 0 ? "bodyweight only" : string.Join(", ", context.Equipment))}.
            {(focus is null ? "" : $"Focus: {focus}.")}{(context.IsMinor ? " The user is under 18: no max-effort work, targetRir at least 2." : "")}
            {(context.ScreeningFlagged ? "Their health screening flagged a risk: low intensity only (targetRir 3+, 10+ reps, beginner exercises)." : "")}
            """);
        return [new PromptMessage("system", system), new PromptMessage("user", user)];
    }

    private static string SystemMessage(ExerciseCatalogue catalogue, int level, IReadOnlyList<string> equipment, IReadOnlyList<string> injuredAreas)
    {
        var usable = catalogue.All
            .Where(e => e.Equipment.All(k => k == "bodyweight" || equipment.Contains(k)))
            .Where(e => !e.LoadsAreas.Any(injuredAreas.Contains))
            .Where(e => Array.IndexOf(Levels, e.Level) <= level)
            .Take(120)
            .Select(e => $"{e.Id} | {e.Pattern} | {string.Join(",", e.PrimaryMuscles)}");
        return $"""
            You write weekly strength-training plans as one JSON object and nothing else:
            {PlanShape}
            Use only exerciseId values from this list (id | pattern | primary muscles):
            {string.Join("\n", usable)}
            Rules: beginners 2-3 full-body days at targetRir 2-4; intermediate up to 5 days; advanced up to 6; at least one rest day;
            6-10 weekly sets per muscle for beginners, 10-16 intermediate, 12-20 advanced (secondary muscles count half);
            at most 6 sets per exercise and 25 per session; compound lifts before isolation; no failure (targetRir 0) on barbell
            squats, deadlifts, bench presses or Olympic lifts; rest 120-300 s on heavy sets of 1-6 reps; balance pushing and pulling.
            """;
    }

    // Only membership is asked of these lists: order and repeats do not change the message. Each value is prefixed with
    // its length, so no value can pass for two.
    private static string SetKey(IReadOnlyList<string> values) =>
        string.Concat(values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(v => $"{v.Length}:{v}"));

    private const string PlanShape =
        """{"name": string, "goal": string, "days": [{"name": string, "exercises": [{"exerciseId": string, "sets": int, "repsMin": int, "repsMax": int, "targetRir": int, "restSeconds": int}]}]}""";
}
