using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Vigor.Core.Infrastructure.Http;

/// <summary>An inclusive UTC time range read from <c>from</c> and <c>to</c> query parameters.</summary>
public readonly record struct DateRange(DateTimeOffset From, DateTimeOffset To)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    // Far outside any training history, and keeps the day arithmetic below away from DateTime's limits.
    private static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// ISO-8601 instants or dates (<c>2025-03-01</c>: a <c>to</c> date includes that whole UTC day). <c>to</c> defaults to
    /// now, <c>from</c> to 30 days before <c>to</c>; the range spans at most 366 days.
    /// </summary>
    public static (DateRange Value, ProblemResult? Problem) Read(IQueryCollection query, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var from = Parse(query["from"].ToString(), "from", errors);
        var to = Parse(query["to"].ToString(), "to", errors);
        if (!errors.IsEmpty)
            return (default, errors.ToProblem());
        var end = to?.Start ?? now;
        var start = from?.Start ?? end.AddDays(-DefaultDays);
        if (start > end)
            return (default, Problems.Validation("from", "must not be after to."));
        if (end - start > TimeSpan.FromDays(MaxDays))
            return (default, Problems.Validation("from", $"the range from {start:yyyy-MM-dd} to {end:yyyy-MM-dd} is longer than {MaxDays} days."));
        // A date names a whole day: "to=2025-03-31" includes sessions on the 31st (PostgreSQL keeps microseconds).
        if (to is { IsDate: true })
            end = end.AddDays(1).AddTicks(-10);
        return (new DateRange(start, end), null);
    }

    private static (DateTimeOffset Start, bool IsDate)? Parse(string raw, string field, FieldErrors errors)
    {
        if (raw.Length == 0)
            return null;
        (DateTimeOffset Start, bool IsDate)? value = null;
        if (raw.Length <= 40)
        {
            if (DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                value = (new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), true);
            else if (raw.Contains('T', StringComparison.Ordinal)
                && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
                value = (instant.ToUniversalTime(), false);
        }
        if (value is null)
            errors.Add(field, "must be an ISO-8601 date (2025-03-01) or UTC time (2025-03-01T18:00:00Z).");
        else if (value.Value.Start < Earliest || value.Value.Start >= Latest)
            errors.Add(field, $"must be between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}.");
        else
            return value;
        return null;
    }
}
