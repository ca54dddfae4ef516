using Vigor.Core.Exercises;
using Vigor.Core.Progress;
using static Vigor.Tests.Progress.ProgressFixtures;

namespace Vigor.Tests.Progress;

[TestClass]
public sealed class WeeklyMuscleVolumeTests
{
    private static readonly ExerciseCatalogue Catalogue = ExerciseCatalogue.Default;

    [TestMethod]
    public void Compute_CountsSecondaryMusclesAsHalfSets()
    {
        var sessions = new[]
        {
            Session(Utc(2025, 3, 3), Lift("push-up", Set(10), Set(10), Set(8)), Lift("dumbbell-fly", Set(12, 10), Set(12, 10))),
        };

        var week = WeeklyMuscleVolume.Compute(sessions, Catalogue, "beginner", Utc(2025, 3, 5), 1).Single();

        var muscles = week.Muscles.ToDictionary(m => m.Muscle);
        Assert.AreEqual(new DateOnly(2025, 3, 3), week.WeekStart);
        Assert.AreEqual(5, muscles["chest"].Sets);
        Assert.AreEqual(3, muscles["triceps"].Sets);
        Assert.AreEqual(2.5, muscles["front_delts"].Sets);
        Assert.AreEqual(1.5, muscles["abs"].Sets);
        Assert.AreEqual("below", muscles["chest"].Status);
        Assert.AreEqual(6, muscles["chest"].TargetMin);
    }

    [TestMethod]
    public void Compute_ReportsEachWeekAgainstTheLevelBand_IgnoringCardioAndUnknownExercises()
    {
        var sessions = new[]
        {
            Simple(Utc(2025, 3, 4), "dumbbell-bench-press", 6, 10, 30),
            Simple(Utc(2025, 3, 6), "dumbbell-bench-press", 6, 10, 30),
            Simple(Utc(2025, 3, 11), "stationary-bike", 1, 1, 0),
            Simple(Utc(2025, 3, 12), "mystery-move", 5, 10, 20),
        };

        var weeks = WeeklyMuscleVolume.Compute(sessions, Catalogue, "intermediate", Utc(2025, 3, 12), 2);

        Assert.HasCount(2, weeks);
        Assert.AreEqual("within", weeks[0].Muscles.Single(m => m.Muscle == "chest").Status);
        Assert.IsTrue(weeks[1].Muscles.All(m => m.Sets == 0));
    }

    [TestMethod]
    public void SessionsPerWeek_FillsEmptyWeeksWithZero()
    {
        var sessions = new[] { Simple(Utc(2025, 3, 4), "push-up", 1, 10, 0), Simple(Utc(2025, 3, 6), "push-up", 1, 10, 0), Simple(Utc(2025, 3, 18), "push-up", 1, 10, 0) };

        var weeks = ProgressCalculator.SessionsPerWeek(sessions, Utc(2025, 3, 19), 3);

        CollectionAssert.AreEqual(new[] { 2, 0, 1 }, weeks.Select(w => w.Sessions).ToArray());
        Assert.AreEqual(new DateOnly(2025, 3, 3), weeks[0].WeekStart);
    }
}
