namespace Vigor.Core.Infrastructure.Http;

/// <summary>Collects per-field validation messages; field names are the JSON (camelCase) paths the client sent.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsEmpty => errors.Count == 0;

    public FieldErrors Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
            errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public FieldErrors Check(bool ok, string field, string message) => ok ? this : Add(field, message);

    public FieldErrors Range(int? value, int min, int max, string field, bool required = false)
    {
        if (value is null)
            return required ? Add(field, "is required.") : this;
        return Check(value >= min && value <= max, field, $"must be between {min} and {max}.");
    }

    public FieldErrors Text(string? value, string field, int max, bool required = false, int min = 0)
    {
        if (string.IsNullOrWhiteSpace(value))
            return required ? Add(field, "is required.") : this;
        if (value.Length > max)
            return Add(field, $"must be at most {max} characters.");
        if (value.Length < min)
            return Add(field, $"must be at least {min} characters.");
        return Check(!value.Any(c => char.IsControl(c) && c is not '\n' and not '\t'), field, "must not contain control characters.");
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public ProblemResult ToProblem() => Problems.Validation(ToDictionary());
}
