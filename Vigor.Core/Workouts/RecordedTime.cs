using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Workouts;

/// <summary>When a session or a measurement happened: in the past (allowing a little clock skew) and not before 2000.</summary>
internal static class RecordedTime
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Check(FieldErrors errors, DateTimeOffset? value, DateTimeOffset now, string field, bool required)
    {
        if (value is not { } at)
        {
            if (required)
                errors.Add(field, "is required.");
            return;
        }
        if (at < Earliest)
            errors.Add(field, $"must not be before {Earliest:yyyy-MM-dd}.");
        else if (at > now + ClockSkew)
            errors.Add(field, "must not be in the future.");
    }

    /// <summary>PostgreSQL keeps microseconds and timestamptz takes UTC only.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % 10));
    }
}
