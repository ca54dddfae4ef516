using Vigor.Core.Exercises;
using Vigor.Core.Progress;
using static Vigor.Tests.Progress.ProgressFixtures;

namespace Vigor.Tests.Progress;

[TestClass]
public sealed class ProgressCalculatorTests
{
    [TestMethod]
    public void Summarize_CombinesEveryMetric_OverTheRequestedWeeks()
    {
        var sessions = Enumerable.Range(0, 6)
            .Select(w => Simple(Utc(2025, 3, 3).AddDays(7 * w), "barbell-bench-press", 3, 5, 100 + (2.5 * w)))
            .Append(Simple(Utc(2025, 6, 1), "barbell-bench-press", 3, 5, 200))
            .ToList();
        var calculator = new ProgressCalculator(ExerciseCatalogue.Default);

        var summary = calculator.Summarize(sessions, "intermediate", Utc(2025, 4, 9), weeks: 4);

        Assert.AreEqual(6, summary.Streak.CurrentWeeks);
        Assert.HasCount(4, summary.SessionsPerWeek);
        Assert.HasCount(4, summary.WeeklySets);
        Assert.AreEqual(112.5, summary.PersonalRecords.Single().HeaviestKg);
        Assert.HasCount(6, summary.Trends.Single().Points);
        Assert.IsEmpty(summary.Plateaus);
        Assert.AreEqual("scheduled", summary.Deload.Reason);
    }
}
