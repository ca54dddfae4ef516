namespace Vigor.Core.Usage;

/// <summary>
/// Where the live counters live: one partition per user (requests per day/week/month and micro-dollars per month,
/// so a reservation is one transaction), one for the global budget, one per provider. Money is counted in
/// micro-dollars (1e-6 USD) as integers, so sums are exact.
/// </summary>
public static class UsageKeys
{
    public const string Global = "global";

    public static string User(Guid userId) => "user:" + userId.ToString("N");

    public static string Provider(Guid providerId) => "provider:" + providerId.ToString("N");

    public static string RequestsDay(DateTimeOffset at) => "req:" + UsageWindows.Day(at);

    public static string RequestsWeek(DateTimeOffset at) => "req:" + UsageWindows.Week(at);

    public static string RequestsMonth(DateTimeOffset at) => "req:" + UsageWindows.Month(at);

    public static string SpendDay(DateTimeOffset at) => "usd:" + UsageWindows.Day(at);

    public static string SpendMonth(DateTimeOffset at) => "usd:" + UsageWindows.Month(at);

    public static long ToMicros(decimal usd) => (long)Math.Ceiling(usd * 1_000_000m);

    public static decimal FromMicros(long micros) => micros / 1_000_000m;
}
