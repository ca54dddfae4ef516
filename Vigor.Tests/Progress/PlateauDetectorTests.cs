using Vigor.Core.Progress;
using static Vigor.Tests.Progress.ProgressFixtures;

namespace Vigor.Tests.Progress;

[TestClass]
public sealed class PlateauDetectorTests
{
    private static ExerciseTrend Trend(params LoggedSession[] sessions) => E1rmTrends.Compute(sessions).Single();

    [TestMethod]
    public void Compute_KeepsTheBestSetOfEachSession_AndTheChange()
    {
        var trend = Trend(
            Session(Utc(2025, 3, 3), Lift("barbell-bench-press", Set(5, 100), Set(12, 70))),
            Simple(Utc(2025, 3, 10), "barbell-bench-press", 3, 5, 105));

        Assert.HasCount(2, trend.Points);
        Assert.AreEqual(112.5, trend.Points[0].E1rmKg, 1e-9);
        Assert.AreEqual(5.0, trend.ChangePercent);
    }

    [TestMethod]
    public void Detect_FindsPlateau_WhenLastThreeSessionsDoNotBeatTheEarlierBest()
    {
        var trend = Trend(
            Simple(Utc(2025, 3, 3), "barbell-bench-press", 3, 5, 100),
            Simple(Utc(2025, 3, 6), "barbell-bench-press", 3, 5, 100),
            Simple(Utc(2025, 3, 10), "barbell-bench-press", 3, 5, 97.5),
            Simple(Utc(2025, 3, 13), "barbell-bench-press", 3, 5, 100));

        var plateau = PlateauDetector.Detect(trend);

        Assert.IsNotNull(plateau);
        Assert.AreEqual("sessions", plateau.Reason);
        Assert.AreEqual(112.5, plateau.BestE1rmKg, 1e-9);
    }

    [TestMethod]
    public void Detect_FindsNothing_WhenTheLastSessionIsBetter()
    {
        var trend = Trend(
            Simple(Utc(2025, 3, 3), "barbell-bench-press", 3, 5, 100),
            Simple(Utc(2025, 3, 6), "barbell-bench-press", 3, 5, 100),
            Simple(Utc(2025, 3, 10), "barbell-bench-press", 3, 5, 97.5),
            Simple(Utc(2025, 3, 13), "barbell-bench-press", 3, 5, 102.5));

        var plateau = PlateauDetector.Detect(trend);

        Assert.IsNull(plateau);
    }

    [TestMethod]
    public void Detect_FindsNothing_WhenEffortDroppedByMoreThanOneRir()
    {
        var trend = Trend(
            Simple(Utc(2025, 3, 3), "barbell-bench-press", 3, 5, 100, rir: 0),
            Simple(Utc(2025, 3, 6), "barbell-bench-press", 3, 5, 92.5, rir: 2),
            Simple(Utc(2025, 3, 10), "barbell-bench-press", 3, 5, 92.5, rir: 2),
            Simple(Utc(2025, 3, 13), "barbell-bench-press", 3, 5, 92.5, rir: 2));

        var plateau = PlateauDetector.Detect(trend);

        Assert.IsNull(plateau);
    }

    [TestMethod]
    public void Detect_FindsPlateau_AfterThreeWeeksWithoutGain()
    {
        var trend = Trend(
            Simple(Utc(2025, 3, 3), "barbell-bench-press", 3, 5, 100),
            Simple(Utc(2025, 3, 25), "barbell-bench-press", 3, 5, 100),
            Simple(Utc(2025, 3, 31), "barbell-bench-press", 3, 5, 97.5));

        var plateau = PlateauDetector.Detect(trend);

        Assert.IsNotNull(plateau);
        Assert.AreEqual("weeks", plateau.Reason);
    }
}
