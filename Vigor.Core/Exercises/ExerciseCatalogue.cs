using System.Text.Json;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Exercises;

/// <summary>The curated exercise catalogue, loaded once from the embedded catalogue.json; immutable and thread-safe.</summary>
internal sealed class ExerciseCatalogue
{
    private static readonly Lazy<ExerciseCatalogue> Embedded = new(LoadEmbedded);
    private readonly Dictionary<string, Exercise> byId;
    private readonly MuscleAliases aliases;

    public ExerciseCatalogue(IReadOnlyList<MuscleInfo> muscles, IReadOnlyList<Exercise> exercises)
    {
        Muscles = muscles;
        All = exercises;
        byId = exercises.ToDictionary(e => e.Id, StringComparer.Ordinal);
        aliases = new MuscleAliases(muscles);
    }

    public static ExerciseCatalogue Default => Embedded.Value;

    public IReadOnlyList<Exercise> All { get; }

    public IReadOnlyList<MuscleInfo> Muscles { get; }

    public Exercise? Find(string? id) => id is null ? null : byId.GetValueOrDefault(id);

    /// <summary>Canonical muscles a search term names: an id ("quads"), a common name ("pecs") or a group ("legs").</summary>
    public IReadOnlySet<string> ResolveMuscles(string term) => aliases.Resolve(term);

    public IReadOnlyList<Exercise> Filter(ExerciseFilter filter) => ExerciseSearch.Run(this, filter);

    /// <summary>Same movement pattern and at least one shared primary muscle, usable with the given equipment, best first.</summary>
    public IReadOnlyList<Exercise> Alternatives(string id, IReadOnlyCollection<string>? availableEquipment, int max = 10)
    {
        if (Find(id) is not { } original)
            return [];
        return All
            .Where(e => e.Id != original.Id && e.Pattern == original.Pattern)
            .Where(e => e.PrimaryMuscles.Intersect(original.PrimaryMuscles).Any())
            .Where(e => availableEquipment is null || e.IsUsableWith(availableEquipment))
            .OrderByDescending(e => SimilarityScore(original, e))
            .ThenBy(e => e.Name, StringComparer.Ordinal)
            .Take(max)
            .ToList();
    }

    private static int SimilarityScore(Exercise original, Exercise candidate)
    {
        var score = 10 * candidate.PrimaryMuscles.Intersect(original.PrimaryMuscles).Count();
        score += 2 * candidate.SecondaryMuscles.Intersect(original.SecondaryMuscles).Count();
        score -= 4 * candidate.PrimaryMuscles.Except(original.PrimaryMuscles).Count();
        if (candidate.Mechanic == original.Mechanic)
            score += 5;
        // A loaded lift is best replaced by another loaded lift (and bodyweight work by bodyweight work).
        if (IsLoaded(candidate) == IsLoaded(original))
            score += 3;
        return score - 2 * Math.Abs(candidate.LevelRank - original.LevelRank);
    }

    private static bool IsLoaded(Exercise e) => e.Equipment.Any(k => k is not ("bodyweight" or "bench" or "pullup_bar"));

    public static ExerciseCatalogue FromJson(string json)
    {
        var document = JsonSerializer.Deserialize<CatalogueDocument>(json, VigorJson.Options)
            ?? throw new InvalidDataException("The exercise catalogue is empty.");
        return new ExerciseCatalogue(document.Muscles, document.Exercises);
    }

    private static ExerciseCatalogue LoadEmbedded()
    {
        using var stream = typeof(ExerciseCatalogue).Assembly.GetManifestResourceStream("Vigor.Core.Exercises.catalogue.json")
            ?? throw new InvalidOperationException("The embedded exercise catalogue is missing.");
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd());
    }

    private sealed record CatalogueDocument(IReadOnlyList<MuscleInfo> Muscles, IReadOnlyList<Exercise> Exercises);
}
