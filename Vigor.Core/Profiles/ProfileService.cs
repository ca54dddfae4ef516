using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Profiles;

internal sealed class ProfileService(ProfileRepository profiles, Progress.ProgressCache progress, Llm.Gateway.LlmHitContexts contexts)
{
    public const int MaxInjuries = 10;

    public async Task<Outcome<MeResponse>> GetMeAsync(Guid userId, CancellationToken ct)
        => await profiles.GetMeAsync(userId, ct) is { } me ? me : Problems.NotFound("user");

    public async Task<Outcome<Profile>> UpdateAsync(Guid userId, ProfileUpdate update, CancellationToken ct)
    {
        var errors = Validate(update);
        if (!errors.IsEmpty)
            return errors.ToProblem();
        var profile = new Profile(
            update.FitnessLevel,
            (update.Goals ?? []).Distinct(StringComparer.Ordinal).ToArray(),
            (update.Equipment ?? []).Distinct(StringComparer.Ordinal).ToArray(),
            (update.Injuries ?? []).Select(i => new Injury(i.Area, string.IsNullOrWhiteSpace(i.Note) ? null : i.Note.Trim())).ToArray(),
            update.DaysPerWeek,
            update.SessionMinutes,
            update.Units ?? "metric",
            update.Screening ?? [],
            DateTime.MinValue);
        var saved = await profiles.UpsertAsync(userId, profile, ct);
        progress.Invalidate(userId); // progress is judged at the profile's level
        contexts.Invalidate(userId); // AI requests are built from the profile, and leased hits answer from what is kept
        return saved;
    }

    private static FieldErrors Validate(ProfileUpdate update)
    {
        var errors = new FieldErrors();
        OneOf(errors, update.FitnessLevel, ProfileVocabulary.FitnessLevels, "fitnessLevel");
        OneOf(errors, update.Units, ProfileVocabulary.Units, "units");
        SubsetOf(errors, update.Goals, ProfileVocabulary.Goals, "goals");
        SubsetOf(errors, update.Equipment, ProfileVocabulary.Equipment, "equipment");
        errors.Range(update.DaysPerWeek, 1, 7, "daysPerWeek");
        errors.Range(update.SessionMinutes, 15, 120, "sessionMinutes");
        if (update.Injuries is { } injuries)
        {
            errors.Check(injuries.Length <= MaxInjuries, "injuries", $"must list at most {MaxInjuries} injuries.");
            for (var i = 0; i < Math.Min(injuries.Length, MaxInjuries); i++)
            {
                if (injuries[i] is null)
                {
                    errors.Add($"injuries[{i}]", "must be an object.");
                    continue;
                }
                OneOf(errors, injuries[i].Area, ProfileVocabulary.BodyAreas, $"injuries[{i}].area", required: true);
                errors.Text(injuries[i].Note, $"injuries[{i}].note", 200);
            }
        }
        foreach (var key in (update.Screening ?? []).Keys.Where(k => !ProfileVocabulary.ScreeningQuestions.Contains(k)))
            errors.Add($"screening.{Truncate(key)}", $"is not a screening question; known: {string.Join(", ", ProfileVocabulary.ScreeningQuestions)}.");
        return errors;
    }

    private static void OneOf(FieldErrors errors, string? value, string[] allowed, string field, bool required = false)
    {
        if (value is null)
        {
            if (required)
                errors.Add(field, "is required.");
            return;
        }
        errors.Check(allowed.Contains(value), field, $"must be one of: {string.Join(", ", allowed)}.");
    }

    private static void SubsetOf(FieldErrors errors, string[]? values, string[] allowed, string field)
    {
        if (values is null)
            return;
        if (values.Length > allowed.Length * 2)
        {
            errors.Add(field, $"must list at most {allowed.Length} values.");
            return;
        }
        for (var i = 0; i < values.Length; i++)
            errors.Check(values[i] is not null && allowed.Contains(values[i]), $"{field}[{i}]", $"must be one of: {string.Join(", ", allowed)}.");
    }

    private static string Truncate(string key) => key.Length <= 40 ? key : key[..40];
}
