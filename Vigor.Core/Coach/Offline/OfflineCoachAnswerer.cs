using Vigor.Core.Exercises;

namespace Vigor.Core.Coach.Offline;

/// <summary>An offline answer: the recognised intent, the text, and the exercise it is about (form questions).</summary>
internal sealed record CoachAnswer(string Intent, string Text, string? ExerciseId = null);

/// <summary>
/// Rule-based answers for common training questions when no model is available (or the budget is spent). Keyword
/// scoring, deterministic. Safety topics (pain, medical, eating, minors) are routed away before this is called.
/// </summary>
internal sealed class OfflineCoachAnswerer(ExerciseCatalogue catalogue)
{
    public const int MaxMessageLength = 4000;

    private static readonly (string Intent, string[] Keywords)[] Intents =
    [
        ("rest", ["rest", "between sets", "rest time", "how long should i wait", "break between", "recover between"]),
        ("progression", ["progress", "progression", "increase the weight", "increase weight", "add weight", "heavier", "overload", "double progression", "2 for 2", "plateau", "stuck", "stalled", "go up in weight"]),
        ("missed_session", ["missed", "miss a", "skipped", "skip a", "fell off", "back after", "time off", "vacation", "holiday", "didnt train", "couldnt train", "make up"]),
        ("deload", ["deload", "lighter week", "easy week", "tired", "fatigue", "fatigued", "worn out", "burned out", "burnt out", "recovery week"]),
        ("rir", ["rir", "reps in reserve", "rpe", "how hard", "failure", "effort", "intensity"]),
        // Last, so generic phrasing ("how do I ...") loses ties to a specific topic.
        ("form", ["form", "technique", "how do i", "how to", "cue", "cues", "proper", "properly", "correctly", "tips", "perform", "execute", "posture"]),
    ];

    public CoachAnswer Answer(string message, string? level = null)
    {
        var text = Normalize(message.Length > MaxMessageLength ? message[..MaxMessageLength] : message);
        var exercise = FindExercise(text);
        var (intent, score) = Intents
            .Select(i => (i.Intent, Score: i.Keywords.Count(k => Contains(text, k)) + (i.Intent == "form" && exercise is not null ? 2 : 0)))
            .OrderByDescending(i => i.Score)
            .First();
        if (score == 0)
            return new CoachAnswer("unknown", CoachTexts.Unknown);
        return intent switch
        {
            "form" when exercise is not null => new CoachAnswer("form", CoachTexts.Form(exercise), exercise.Id),
            "form" => new CoachAnswer("form", CoachTexts.FormWithoutExercise),
            "rest" => new CoachAnswer("rest", CoachTexts.Rest(level)),
            "progression" => new CoachAnswer("progression", CoachTexts.Progression),
            "missed_session" => new CoachAnswer("missed_session", CoachTexts.MissedSession),
            "deload" => new CoachAnswer("deload", CoachTexts.Deload(level)),
            _ => new CoachAnswer("rir", CoachTexts.Rir(level)),
        };
    }

    /// <summary>The exercise the message names: the longest full or short name found ("romanian deadlift" beats "deadlift").</summary>
    public Exercise? FindExercise(string normalizedMessage)
    {
        Exercise? best = null;
        var bestLength = 0;
        // Equal-length matches go to the classic free-weight version ("bench press" → barbell), then the easier one.
        foreach (var exercise in catalogue.All.OrderBy(EquipmentRank).ThenBy(e => e.LevelRank).ThenBy(e => e.Id, StringComparer.Ordinal))
        {
            foreach (var name in Names(exercise))
            {
                if (name.Length > bestLength && Contains(normalizedMessage, name))
                    (best, bestLength) = (exercise, name.Length);
            }
        }
        return best;
    }

    private static readonly string[] EquipmentWords =
        ["barbell", "dumbbell", "kettlebell", "cable", "machine", "band", "banded", "bodyweight", "conventional", "standing", "seated", "lying"];

    private static int EquipmentRank(Exercise e) =>
        e.Equipment.Contains("barbell") ? 0 : e.Equipment.Contains("dumbbells") ? 1 : e.Equipment.SequenceEqual(["bodyweight"]) ? 2 : 3;

    /// <summary>The full name, the name without equipment words ("romanian deadlift"), and their plurals ("push ups").</summary>
    private static IEnumerable<string> Names(Exercise exercise)
    {
        var full = Normalize(exercise.Name);
        var core = string.Join(' ', full.Split(' ').Where(w => !EquipmentWords.Contains(w)));
        foreach (var name in core.Length > 0 && core != full ? [full, core] : new[] { full })
        {
            yield return name;
            if (!name.EndsWith('s'))
                yield return name + "s";
        }
    }

    private static bool Contains(string text, string phrase) => $" {text} ".Contains($" {phrase} ", StringComparison.Ordinal);

    /// <summary>Lower case, letters and digits only, single spaces: "Push-Ups?" → "push ups".</summary>
    public static string Normalize(string text)
    {
        var chars = text.ToLowerInvariant().Where(c => c != '\'' && c != '’').Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray();
        return string.Join(' ', new string(chars).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
