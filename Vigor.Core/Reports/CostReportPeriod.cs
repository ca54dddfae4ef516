namespace Vigor.Core.Reports;

public static class CostReportKinds
{
    public const string Daily = "daily";
    public const string Weekly = "weekly";

    public static bool IsKnown(string? kind) => kind is Daily or Weekly;
}

/// <summary>A report's period in UTC, [Start, End): a day, or an ISO week (Monday to Sunday).</summary>
internal readonly record struct CostReportPeriod(string Kind, DateTime Start, DateTime End)
{
    public static CostReportPeriod Of(string kind, DateOnly first)
    {
        var start = first.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        return new(kind, start, start.AddDays(kind == CostReportKinds.Weekly ? 7 : 1));
    }

    /// <summary>The latest period of this kind that ended at or before <paramref name="now"/>: yesterday, or last week.</summary>
    public static CostReportPeriod LastComplete(string kind, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return kind == CostReportKinds.Weekly ? Of(kind, Monday(today).AddDays(-7)) : Of(kind, today.AddDays(-1));
    }

    public static DateOnly Monday(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public DateOnly FirstDay => DateOnly.FromDateTime(Start);

    public int DayCount => (int)(End - Start).TotalDays;

    public IEnumerable<DateOnly> Days => Enumerable.Range(0, DayCount).Select(FirstDay.AddDays);

    /// <summary>The month the report's month-to-date figures are about: the month of the period's last day.</summary>
    public DateTime MonthStart => new(End.AddDays(-1).Year, End.AddDays(-1).Month, 1, 0, 0, 0, DateTimeKind.Utc);

    public DateTime MonthEnd => MonthStart.AddMonths(1);
}
