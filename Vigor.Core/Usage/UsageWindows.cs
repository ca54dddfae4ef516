using System.Globalization;

namespace Vigor.Core.Usage;

/// <summary>Where the current windows began (UTC); <see cref="Since"/> is the earliest of them.</summary>
public readonly record struct UsageStarts(DateTime Day, DateTime Week, DateTime Month)
{
    public DateTime Since => Week < Month ? Week : Month;
}

/// <summary>Calendar windows in UTC: days, ISO weeks (Monday start) and months, as row-key fragments with their reset times.</summary>
public static class UsageWindows
{
    public static string Day(DateTimeOffset at) => "d:" + at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Week(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return $"w:{ISOWeek.GetYear(utc)}-W{ISOWeek.GetWeekOfYear(utc):00}";
    }

    public static string Month(DateTimeOffset at) => "m:" + at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static DateTimeOffset DayResets(DateTimeOffset at) => new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);

    public static DateTimeOffset WeekResets(DateTimeOffset at)
    {
        var date = at.UtcDateTime.Date;
        var daysSinceMonday = ((int)date.DayOfWeek + 6) % 7;
        return new DateTimeOffset(date.AddDays(7 - daysSinceMonday), TimeSpan.Zero);
    }

    public static DateTimeOffset MonthResets(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
    }

    public static UsageStarts Starts(DateTimeOffset at)
    {
        var day = DayResets(at).AddDays(-1).UtcDateTime;
        return new UsageStarts(day, WeekResets(at).AddDays(-7).UtcDateTime, MonthResets(at).AddMonths(-1).UtcDateTime);
    }
}
