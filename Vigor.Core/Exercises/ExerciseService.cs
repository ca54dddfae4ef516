using System.Globalization;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Profiles;

namespace Vigor.Core.Exercises;

/// <summary>
/// The catalogue over HTTP. It is served from memory (the embedded catalogue.json is the source of truth); search results
/// are ranked, so pages are positions in the ranked list and the cursor is an opaque offset.
/// </summary>
internal sealed class ExerciseService(ExerciseCatalogue catalogue)
{
    public const int MaxTermLength = 100;

    public Outcome<Page<Exercise>> Search(ExerciseQuery query)
    {
        var errors = new FieldErrors();
        errors.Text(query.Q, "q", MaxTermLength);
        errors.Text(query.Muscle, "muscle", MaxTermLength);
        if (!string.IsNullOrWhiteSpace(query.Muscle) && query.Muscle.Length <= MaxTermLength && catalogue.ResolveMuscles(query.Muscle).Count == 0)
            errors.Add("muscle", $"is not a muscle we know; try one of: {string.Join(", ", catalogue.Muscles.Select(m => m.Id))}.");
        var level = string.IsNullOrWhiteSpace(query.Level) ? null : query.Level.Trim().ToLowerInvariant();
        errors.Check(level is null || ExerciseVocabulary.Levels.Contains(level), "level", $"must be one of: {string.Join(", ", ExerciseVocabulary.Levels)}.");
        var equipment = ParseEquipment(query.Equipment, errors);
        var limit = Paging.DefaultLimit;
        if (!string.IsNullOrEmpty(query.Limit)
            && (!int.TryParse(query.Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > Paging.MaxLimit))
            errors.Add("limit", $"must be a whole number from 1 to {Paging.MaxLimit}.");
        var offset = 0;
        if (!string.IsNullOrEmpty(query.Cursor) && !TryDecodeCursor(query.Cursor, out offset))
            errors.Add("cursor", "is not a cursor this API issued.");
        if (!errors.IsEmpty)
            return errors.ToProblem();

        var matches = catalogue.Filter(new ExerciseFilter(query.Muscle, equipment, level, query.Q));
        var items = matches.Skip(offset).Take(limit).ToList();
        var next = offset + limit < matches.Count ? EncodeCursor(offset + limit) : null;
        return new Page<Exercise>(items, next);
    }

    public Outcome<Exercise> Get(string id)
        => catalogue.Find(id) is { } exercise ? exercise : Problems.NotFound("exercise");

    /// <summary>Same pattern and primary muscles; with <paramref name="equipment"/> (comma-separated), only what it allows.</summary>
    public Outcome<Exercise[]> Alternatives(string id, string? equipment)
    {
        if (catalogue.Find(id) is null)
            return Problems.NotFound("exercise");
        var errors = new FieldErrors();
        var available = ParseEquipment(equipment, errors);
        if (!errors.IsEmpty)
            return errors.ToProblem();
        return catalogue.Alternatives(id, available).ToArray();
    }

    /// <summary>"barbell,bench" (or the parameter repeated, which ASP.NET Core joins with commas); null when absent.</summary>
    private static string[]? ParseEquipment(string? raw, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return null;
        var kinds = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (raw.Length > 200 || kinds.Any(k => !ProfileVocabulary.Equipment.Contains(k)))
        {
            errors.Add("equipment", $"must list kinds from: {string.Join(", ", ProfileVocabulary.Equipment)}.");
            return null;
        }
        return kinds.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static string EncodeCursor(int offset)
        => Base64UrlEncoder.Encode(Encoding.ASCII.GetBytes("x" + offset.ToString(CultureInfo.InvariantCulture)));

    private bool TryDecodeCursor(string cursor, out int offset)
    {
        offset = 0;
        if (cursor.Length > 16)
            return false;
        try
        {
            var text = Encoding.ASCII.GetString(Base64UrlEncoder.DecodeBytes(cursor));
            return text.StartsWith('x')
                   && int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out offset)
                   && offset > 0 && offset < catalogue.All.Count;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
