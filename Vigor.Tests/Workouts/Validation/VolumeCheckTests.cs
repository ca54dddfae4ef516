using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Validation;
using static Vigor.Tests.Workouts.PlanFixtures;

namespace Vigor.Tests.Workouts.Validation;

[TestClass]
public sealed class VolumeCheckTests
{
    private readonly VolumeCheck check = new();

    [TestMethod]
    public void Check_ReturnsNothingForChest_WhenWithinBand()
    {
        var day = new[] { Ex("dumbbell-bench-press", sets: 4) };
        var plan = Plan("hypertrophy", day, day, day);

        var findings = Run(check, plan, Context("intermediate"));

        Assert.IsFalse(findings.Any(f => f.Message.StartsWith("chest", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Check_WarnsAboveBand_ForBeginner()
    {
        var day = new[] { Ex("machine-chest-press", sets: 4, rir: 3) };
        var plan = Plan("hypertrophy", day, day, day);

        var finding = Run(check, plan, Context("beginner")).First(f => f.Message.StartsWith("chest", StringComparison.Ordinal));

        Assert.AreEqual("V2.volume_above_band", finding.Code);
        Assert.AreEqual(FindingSeverity.Warning, finding.Severity);
        StringAssert.Contains(finding.Message, "12 sets");
    }

    [TestMethod]
    public void Check_RejectsMoreThanThirtySets()
    {
        var day = new[] { Ex("dumbbell-bench-press", sets: 6), Ex("machine-chest-press", sets: 5) };
        var plan = Plan("hypertrophy", day, day, day);

        var finding = Run(check, plan, Context("advanced")).First(f => f.Message.StartsWith("chest", StringComparison.Ordinal));

        Assert.AreEqual("V2.volume_excessive", finding.Code);
        Assert.AreEqual(FindingSeverity.Error, finding.Severity);
    }

    [TestMethod]
    public void Check_WarnsBelowBand_ForMajorMuscles()
    {
        var plan = Plan("hypertrophy", [Ex("dumbbell-bench-press")]);

        var codes = Codes(check, plan, Context("intermediate"));

        Assert.Contains("V2.volume_below_band", codes);
    }

    [TestMethod]
    public void WeeklySets_CountsSecondaryMusclesAsHalfSets()
    {
        var plan = Plan("hypertrophy", [Ex("push-up", sets: 3)], [Ex("push-up", sets: 2), Ex("stationary-bike", sets: 1, repsMin: 600, repsMax: 900)]);

        var sets = PlanVolume.WeeklySets(plan, Catalogue);

        Assert.AreEqual(5, sets["chest"]);
        Assert.AreEqual(5, sets["triceps"]);
        Assert.AreEqual(2.5, sets["front_delts"]);
        Assert.AreEqual(2.5, sets["abs"]);
        Assert.IsFalse(sets.ContainsKey("quads"), "cardio is not resistance volume");
    }
}
