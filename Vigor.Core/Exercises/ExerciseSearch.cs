namespace Vigor.Core.Exercises;

/// <summary>Catalogue filtering and text search: name matches rank above muscle matches, primary above secondary.</summary>
internal static class ExerciseSearch
{
    public static IReadOnlyList<Exercise> Run(ExerciseCatalogue catalogue, ExerciseFilter filter)
    {
        IEnumerable<Exercise> query = catalogue.All;
        var muscleOrder = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(filter.Muscle))
        {
            var muscles = catalogue.ResolveMuscles(filter.Muscle);
            query = query.Where(e => e.PrimaryMuscles.Concat(e.SecondaryMuscles).Any(muscles.Contains));
            foreach (var e in catalogue.All)
                muscleOrder[e.Id] = e.PrimaryMuscles.Any(muscles.Contains) ? 0 : 1;
        }
        if (filter.Equipment is { Count: > 0 } equipment)
            query = query.Where(e => e.Equipment.Any(equipment.Contains));
        if (!string.IsNullOrWhiteSpace(filter.Level))
            query = query.Where(e => string.Equals(e.Level, filter.Level, StringComparison.OrdinalIgnoreCase));

        var scored = query.Select(e => (Exercise: e, Score: TextScore(catalogue, e, filter.Q)));
        if (!string.IsNullOrWhiteSpace(filter.Q))
            scored = scored.Where(s => s.Score > 0);
        return scored
            .OrderByDescending(s => s.Score)
            .ThenBy(s => muscleOrder.GetValueOrDefault(s.Exercise.Id))
            .ThenBy(s => s.Exercise.Name, StringComparer.Ordinal)
            .Select(s => s.Exercise)
            .ToList();
    }

    private static int TextScore(ExerciseCatalogue catalogue, Exercise exercise, string? q)
    {
        if (string.IsNullOrWhiteSpace(q))
            return 0;
        var text = MuscleAliases.Normalize(q);
        var name = MuscleAliases.Normalize(exercise.Name);
        if (name == text)
            return 100;
        if (name.Contains(text, StringComparison.Ordinal) || exercise.Id.Contains(text.Replace(' ', '-'), StringComparison.Ordinal))
            return 50;
        var words = text.Split(' ');
        var nameWords = name.Split(' ');
        var score = 0;
        if (words.All(w => nameWords.Any(n => n.StartsWith(w, StringComparison.Ordinal))))
            score += 30;
        var muscles = catalogue.ResolveMuscles(text);
        if (muscles.Count == 0)
            muscles = words.SelectMany(w => catalogue.ResolveMuscles(w)).ToHashSet(StringComparer.Ordinal);
        if (exercise.PrimaryMuscles.Any(muscles.Contains))
            score += 20;
        else if (exercise.SecondaryMuscles.Any(muscles.Contains))
            score += 5;
        return score;
    }
}
