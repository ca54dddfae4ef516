using Vigor.Core.Progress;
using static Vigor.Tests.Progress.ProgressFixtures;

namespace Vigor.Tests.Progress;

[TestClass]
public sealed class DeloadAdvisorTests
{
    /// <summary>Two sessions a week for the given weeks from Mon 3 Mar 2025, with <paramref name="setsPerWeek"/> sets each week.</summary>
    private static List<LoggedSession> Weeks(params int[] setsPerWeek) =>
        setsPerWeek.SelectMany((sets, w) => new[]
        {
            Simple(Utc(2025, 3, 3).AddDays(7 * w), "goblet-squat", sets / 2, 10, 24),
            Simple(Utc(2025, 3, 5).AddDays(7 * w), "goblet-squat", sets - sets / 2, 10, 24),
        }).ToList();

    [TestMethod]
    public void Suggest_SchedulesDeload_AfterFourContinuousWeeks_ForIntermediate()
    {
        var sessions = Weeks(20, 20, 20, 20);

        var suggestion = DeloadAdvisor.Suggest(sessions, "intermediate", Utc(2025, 3, 27));

        Assert.IsTrue(suggestion.Suggested);
        Assert.AreEqual("scheduled", suggestion.Reason);
        Assert.AreEqual(4, suggestion.ContinuousWeeks);
    }

    [TestMethod]
    public void Suggest_DoesNotSchedule_ForBeginnersOrShortRuns()
    {
        var sessions = Weeks(20, 20, 20, 20);

        var beginner = DeloadAdvisor.Suggest(sessions, "beginner", Utc(2025, 3, 27));
        var threeWeeks = DeloadAdvisor.Suggest(sessions.Take(6).ToList(), "advanced", Utc(2025, 3, 20));

        Assert.IsFalse(beginner.Suggested);
        Assert.IsFalse(threeWeeks.Suggested);
        Assert.AreEqual(3, threeWeeks.ContinuousWeeks);
    }

    [TestMethod]
    public void ContinuousWeeks_RestartsAfterADeloadWeek()
    {
        var sessions = Weeks(20, 20, 8, 20, 20);

        var weeks = DeloadAdvisor.ContinuousWeeks(sessions, Utc(2025, 4, 3));

        Assert.AreEqual(2, weeks);
    }

    [TestMethod]
    public void Suggest_ReactsToTwoSessionsBelowTarget_AtAnyLevel()
    {
        var targets = new Dictionary<string, int> { ["goblet-squat"] = 8 };
        var sessions = new List<LoggedSession>
        {
            Simple(Utc(2025, 3, 3), "goblet-squat", 3, 10, 24),
            Simple(Utc(2025, 3, 5), "goblet-squat", 3, 6, 24),
            Simple(Utc(2025, 3, 7), "goblet-squat", 3, 7, 24),
        };

        var twoMisses = DeloadAdvisor.Suggest(sessions, "beginner", Utc(2025, 3, 7, 20), targets);
        var oneMiss = DeloadAdvisor.Suggest(sessions.Take(2).ToList(), "beginner", Utc(2025, 3, 7, 20), targets);

        Assert.AreEqual("reactive", twoMisses.Reason);
        Assert.IsTrue(twoMisses.Suggested);
        Assert.IsFalse(oneMiss.Suggested);
    }
}
