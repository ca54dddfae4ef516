namespace Vigor.Core.Exercises;

/// <summary>Maps what people type ("pecs", "abdominals", "legs") to canonical muscle ids.</summary>
internal sealed class MuscleAliases
{
    private readonly Dictionary<string, HashSet<string>> byTerm = new(StringComparer.OrdinalIgnoreCase);

    public MuscleAliases(IEnumerable<MuscleInfo> muscles)
    {
        foreach (var muscle in muscles)
        {
            foreach (var term in muscle.Aliases.Append(muscle.Id).Append(muscle.Name).Append(muscle.Id.Replace('_', ' ')))
            {
                var key = Normalize(term);
                if (!byTerm.TryGetValue(key, out var set))
                    byTerm[key] = set = new HashSet<string>(StringComparer.Ordinal);
                set.Add(muscle.Id);
            }
        }
    }

    public IReadOnlySet<string> Resolve(string term)
    {
        var key = Normalize(term);
        if (byTerm.TryGetValue(key, out var exact))
            return exact;
        // A trailing plural or singular "s" ("bicep", "hamstring") is the commonest near miss.
        var alternate = key.EndsWith('s') ? key[..^1] : key + "s";
        return byTerm.TryGetValue(alternate, out var near) ? near : new HashSet<string>();
    }

    public static string Normalize(string text) =>
        string.Join(' ', text.Trim().ToLowerInvariant().Replace('_', ' ').Replace('-', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
