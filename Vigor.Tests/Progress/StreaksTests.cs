using Vigor.Core.Progress;
using static Vigor.Tests.Progress.ProgressFixtures;

namespace Vigor.Tests.Progress;

[TestClass]
public sealed class StreaksTests
{
    // ISO weeks starting Mon 23 Dec 2024, Mon 30 Dec 2024 (which holds 1 Jan 2025) and Mon 6 Jan 2025.
    private static readonly DateTimeOffset[] AcrossNewYear = [Utc(2024, 12, 28), Utc(2025, 1, 2), Utc(2025, 1, 7)];

    [TestMethod]
    public void Compute_CountsConsecutiveWeeks_AcrossTheYearBoundary()
    {
        var streak = Streaks.Compute(AcrossNewYear, Utc(2025, 1, 9));

        Assert.AreEqual(3, streak.CurrentWeeks);
        Assert.AreEqual(3, streak.LongestWeeks);
    }

    [TestMethod]
    public void Compute_KeepsTheStreak_WhileTheCurrentWeekHasNoSessionYet()
    {
        var nextWeek = Streaks.Compute(AcrossNewYear, Utc(2025, 1, 14));
        var weekAfter = Streaks.Compute(AcrossNewYear, Utc(2025, 1, 21));

        Assert.AreEqual(3, nextWeek.CurrentWeeks);
        Assert.AreEqual(0, weekAfter.CurrentWeeks);
        Assert.AreEqual(3, weekAfter.LongestWeeks);
    }

    [TestMethod]
    public void Compute_CountsConsecutiveDays_AcrossTheMonthBoundary()
    {
        DateTimeOffset[] sessions = [Utc(2025, 1, 28), Utc(2025, 1, 30), Utc(2025, 1, 31), Utc(2025, 2, 1)];

        var onTheDay = Streaks.Compute(sessions, Utc(2025, 2, 1, 20));
        var nextDay = Streaks.Compute(sessions, Utc(2025, 2, 2, 9));
        var twoDaysLater = Streaks.Compute(sessions, Utc(2025, 2, 3, 9));

        Assert.AreEqual(3, onTheDay.CurrentDays);
        Assert.AreEqual(3, nextDay.CurrentDays);
        Assert.AreEqual(0, twoDaysLater.CurrentDays);
        Assert.AreEqual(3, twoDaysLater.LongestDays);
    }

    [TestMethod]
    public void Compute_UsesUtcDays_AndIgnoresFutureSessions()
    {
        // 01:00 on 1 Feb in UTC+2 is still 31 Jan in UTC.
        DateTimeOffset[] sessions = [Utc(2025, 1, 30), new(2025, 2, 1, 1, 0, 0, TimeSpan.FromHours(2)), Utc(2025, 3, 1)];

        var streak = Streaks.Compute(sessions, Utc(2025, 1, 31, 23));

        Assert.AreEqual(2, streak.CurrentDays);
        Assert.AreEqual(1, streak.CurrentWeeks);
    }

    [TestMethod]
    public void WeekStart_IsTheMonday()
    {
        var sunday = TrainingWeeks.WeekStart(Utc(2025, 1, 5));
        var wednesday = TrainingWeeks.WeekStart(Utc(2025, 1, 1));
        var monday = TrainingWeeks.WeekStart(Utc(2025, 1, 6));

        Assert.AreEqual(new DateOnly(2024, 12, 30), sunday);
        Assert.AreEqual(new DateOnly(2024, 12, 30), wednesday);
        Assert.AreEqual(new DateOnly(2025, 1, 6), monday);
    }
}
