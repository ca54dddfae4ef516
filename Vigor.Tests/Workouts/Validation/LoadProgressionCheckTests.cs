using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Validation;
using static Vigor.Tests.Workouts.PlanFixtures;

namespace Vigor.Tests.Workouts.Validation;

[TestClass]
public sealed class LoadProgressionCheckTests
{
    private readonly LoadProgressionCheck check = new();
    private static readonly Plan Bench = Plan("hypertrophy", [Ex("barbell-bench-press", repsMin: 8, repsMax: 12, rest: 120)]);

    private static PlanContext With(params LoadStep[] steps) => Context() with { LoadSteps = steps };

    [TestMethod]
    public void Check_DoesNothing_WithoutLoadHistory()
    {
        var findings = Run(check, Bench, Context());

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void Check_AcceptsEarnedSmallJump()
    {
        var context = With(new LoadStep("barbell-bench-press", 100, 105, [12, 13]));

        var findings = Run(check, Bench, context);

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void Check_RejectsJumpAboveTenPercent()
    {
        var context = With(new LoadStep("barbell-bench-press", 100, 115, [13]));

        var codes = Codes(check, Bench, context);

        CollectionAssert.AreEqual(new[] { "V6.load_jump_too_large" }, codes);
    }

    [TestMethod]
    public void Check_RejectsUnearnedIncrease()
    {
        var context = With(new LoadStep("barbell-bench-press", 100, 102.5, [11, 12]));

        var codes = Codes(check, Bench, context);

        CollectionAssert.AreEqual(new[] { "V6.progression_not_earned" }, codes);
    }

    [TestMethod]
    public void Check_AllowsOneEquipmentStep_AboveTenPercentOfALightLoad()
    {
        var plan = Plan("hypertrophy", [Ex("dumbbell-lateral-raise", repsMin: 10, repsMax: 15, rest: 60)]);
        var context = With(new LoadStep("dumbbell-lateral-raise", 6, 8.5, [16]));

        var findings = Run(check, plan, context);

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void IsEarned_FollowsAcsmAndTwoForTwo()
    {
        Assert.IsTrue(LoadProgressionCheck.IsEarned([13], 12));
        Assert.IsTrue(LoadProgressionCheck.IsEarned([14, 14], 12));
        Assert.IsFalse(LoadProgressionCheck.IsEarned([12], 12));
        Assert.IsFalse(LoadProgressionCheck.IsEarned([], 12));
    }
}
