using Vigor.Core.Progress;

namespace Vigor.Core.Workouts;

/// <summary>The figures of one exercise of a logged session, as stored in a workout_lifts row.</summary>
internal sealed record LiftFigure(
    string ExerciseId, int Sets, int CountedSets, double? HeaviestKg, double? BestVolumeKg, double? E1rmKg, double? EpleyKg, int? E1rmRir);

/// <summary>
/// A session's per-exercise figures, computed here so that logging a session sends them to PostgreSQL instead of having
/// the SQL function workout_lift_figures (migration 0007) take the JSON apart again. Same rules, same float8 order, so the
/// values are bit-identical to that function's (a test compares both): an exercise listed twice is one row; counted sets
/// have reps or seconds; heaviest weight and best set volume come from weighted sets with reps; the e1RM point is the
/// first set with the highest Brzycki estimate (<see cref="OneRepMax.Estimate"/>).
/// </summary>
internal static class LiftFigures
{
    public static List<LiftFigure> Of(LoggedSession session)
    {
        var figures = new List<LiftFigure>(session.Exercises.Count);
        foreach (var exercise in session.Exercises)
        {
            var at = figures.FindIndex(f => f.ExerciseId == exercise.ExerciseId);
            var figure = at >= 0 ? figures[at] : new LiftFigure(exercise.ExerciseId, 0, 0, null, null, null, null, null);
            foreach (var set in exercise.Sets)
                figure = Add(figure, set);
            if (at >= 0)
                figures[at] = figure;
            else
                figures.Add(figure);
        }
        return figures;
    }

    private static LiftFigure Add(LiftFigure figure, LoggedSet set)
    {
        figure = figure with
        {
            Sets = figure.Sets + 1,
            CountedSets = figure.CountedSets + (set.Reps > 0 || set.DurationSeconds > 0 ? 1 : 0),
        };
        if (set.WeightKg is > 0 and var kg && set.Reps > 0)
        {
            var volume = kg * set.Reps;
            figure = figure with
            {
                HeaviestKg = figure.HeaviestKg is { } heaviest && heaviest >= kg ? heaviest : kg,
                BestVolumeKg = figure.BestVolumeKg is { } best && best >= volume ? best : volume,
            };
        }
        // Strictly greater: of equal estimates the first set wins.
        if (OneRepMax.Estimate(set) is { } e1rm && !(figure.E1rmKg >= e1rm.Kg))
            figure = figure with { E1rmKg = e1rm.Kg, EpleyKg = e1rm.EpleyKg, E1rmRir = set.Rir };
        return figure;
    }
}
