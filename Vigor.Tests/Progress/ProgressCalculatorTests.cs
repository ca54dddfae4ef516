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
        Assert.HasCount(4, summary.Trends.Single().Points, "trends show the requested weeks (3/17 to 4/7)");
        Assert.IsEmpty(summary.Plateaus);
        Assert.AreEqual("scheduled", summary.Deload.Reason);
    }

    [TestMethod]
    public void Summarize_SessionsWithoutAnEstimate_HaveNoTrendPoint()
    {
        var sessions = new[]
        {
            Session(Utc(2025, 3, 3), Lift("push-up", Set(15), Set(12))),
            Session(Utc(2025, 3, 5), Lift("barbell-bench-press", Set(15, 60)), Lift("push-up", Set(10, 10))),
        };
        var calculator = new ProgressCalculator(ExerciseCatalogue.Default);

        var summary = calculator.Summarize(sessions, "beginner", Utc(2025, 3, 6), weeks: 2);

        Assert.AreEqual("push-up", summary.Trends.Single().ExerciseId, "15 reps is past the 10-rep limit of the formulas");
        Assert.HasCount(1, summary.Trends.Single().Points);
    }
}
