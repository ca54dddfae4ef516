using Vigor.Core.Workouts.Validation;
using static Vigor.Tests.Workouts.PlanFixtures;

namespace Vigor.Tests.Workouts.Validation;

[TestClass]
public sealed class LevelCheckTests
{
    private readonly LevelCheck check = new();

    [TestMethod]
    public void Check_ReturnsNothing_ForBeginnerExercisesInOrder()
    {
        var plan = Plan("general_fitness", [Ex("goblet-squat", rir: 3), Ex("push-up", rir: 3), Ex("dumbbell-biceps-curl", rir: 3), Ex("front-plank", repsMin: 20, repsMax: 30)]);

        var findings = Run(check, plan, Context("beginner"));

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void Check_RejectsOlympicAndExpertLifts_ForBeginners()
    {
        var plan = Plan("strength", [Ex("hang-power-clean", rest: 180), Ex("pistol-squat")]);

        var codes = Codes(check, plan, Context("beginner"));

        CollectionAssert.AreEqual(new[] { "V10.too_advanced_for_level", "V10.too_advanced_for_level" }, codes);
    }

    [TestMethod]
    public void Check_WarnsIntermediate_AboutExpertExercises()
    {
        var plan = Plan("strength", [Ex("pistol-squat")]);

        var finding = Run(check, plan, Context("intermediate")).Single();

        Assert.AreEqual("V10.above_level", finding.Code);
        Assert.AreEqual(FindingSeverity.Warning, finding.Severity);
    }

    [TestMethod]
    public void Check_WarnsWhenIsolationPrecedesCompound()
    {
        var plan = Plan("hypertrophy", [Ex("leg-extension"), Ex("leg-press")]);

        var finding = Run(check, plan, Context("intermediate")).Single();

        Assert.AreEqual("V10.isolation_before_compound", finding.Code);
        Assert.AreEqual("days[0].exercises[0]", finding.Path);
    }
}
