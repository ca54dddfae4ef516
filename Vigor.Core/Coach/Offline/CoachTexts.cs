using Vigor.Core.Exercises;

namespace Vigor.Core.Coach.Offline;

/// <summary>The offline coach's fixed answers, grounded in fitness-science §3 (ACSM 2009, NSCA, Helms/Zourdos RIR, deload survey).</summary>
internal static class CoachTexts
{
    public const string Unknown =
        "I'm the offline coach, so I can help with a few things: how to do an exercise (\"how do I do a goblet squat?\"), " +
        "rest times between sets, when to add weight, what to do after missed sessions, deload weeks, and what RIR " +
        "(reps in reserve) means. Ask me about one of those, or check your plan and progress pages.";

    public const string FormWithoutExercise =
        "Tell me which exercise you mean (for example \"form tips for the Romanian deadlift\") and I'll give you its key cues. " +
        "For every lift: brace your trunk, control the lowering, use a range you own, and stop a set when your form breaks down.";

    public static string Form(Exercise exercise)
    {
        var steps = string.Join(" ", exercise.Instructions.Select((s, i) => $"{i + 1}. {s}"));
        var muscles = string.Join(", ", exercise.PrimaryMuscles.Select(m => m.Replace('_', ' ')));
        return $"{exercise.Name} (works your {muscles}): {steps} Keep 2–3 reps in reserve while you learn it, and stop if anything hurts sharply.";
    }

    public static string Rest(string? level) =>
        "Rest depends on the work: heavy strength sets of 6 reps or fewer need 2–5 minutes; muscle-building sets of 6–12 reps " +
        "do well with 1–2 minutes; light endurance sets of 12+ reps need 90 seconds or less. Rest longer before your big " +
        "compound lifts than before small isolation exercises." +
        (level == "beginner" ? " As a beginner, leave at least 48 hours before training the same muscles hard again; full-body sessions on non-consecutive days work well." : " Give each muscle about 48 hours between hard sessions.");

    public const string Progression =
        "Use double progression: pick a rep range (say 8–12) and keep the weight until you reach the top of the range on all " +
        "sets with good form, then add the smallest step (about 1–2.5 kg for upper-body lifts, 2.5–5 kg for lower-body lifts) " +
        "and work back up from the bottom of the range. A stricter test is the 2-for-2 rule: add weight when you beat your rep " +
        "target by 2 or more on the last set in two sessions in a row. Never add more than about 10% in one go. If you stall " +
        "for 3 sessions, check sleep and consistency first, then change the rep range or exercise variation, then take a lighter week.";

    public const string MissedSession =
        "Missing a session happens; don't try to cram it in by doubling up. Just do the next workout in your plan and keep the " +
        "week going. After a week or so off, pick up at your usual weights but leave an extra rep or two in reserve. After a " +
        "longer break, start around 10% lighter with fewer sets and build back up over one to two weeks. Consistency over " +
        "months matters far more than any single session.";

    public static string Deload(string? level) =>
        "A deload is a planned lighter week to shed fatigue: keep the same exercises and training days, but do about half the " +
        "sets and stop 2 more reps short of failure (or use about 10% less weight). Most lifters take one every 4–6 weeks, " +
        "and it's also worth taking one after two sessions in a row that fall short of your targets. You might simply be tired, " +
        "so a lighter week is a good idea." +
        (level == "beginner" ? " As a beginner you rarely need scheduled deloads; a lighter week when you feel run down is enough." : "");

    public static string Rir(string? level) =>
        "RIR means reps in reserve: how many more good reps you could have done when you stopped the set. RIR 0 is failure, " +
        "RIR 2 means two more clean reps were left (about RPE 8), RIR 3 about RPE 7, and RIR 4–6 is easy work. Most of your " +
        "sets belong at RIR 1–3; you don't need failure to build muscle, and it slows recovery, so keep it for the last set of " +
        "isolation or machine exercises and never on heavy squats, deadlifts or bench presses." +
        (level == "beginner" ? " As a beginner, aim for RIR 2–4: people new to lifting tend to underestimate how much they have left, and technique comes first." : "");
}
