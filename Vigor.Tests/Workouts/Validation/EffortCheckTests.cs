using Vigor.Core.Workouts.Validation;
using static Vigor.Tests.Workouts.PlanFixtures;

namespace Vigor.Tests.Workouts.Validation;

[TestClass]
public sealed class EffortCheckTests
{
    private readonly EffortCheck check = new();

    [TestMethod]
    public void Check_AcceptsRir1_ForIntermediate()
    {
        var plan = Plan("hypertrophy", [Ex("dumbbell-bench-press", rir: 1), Ex("machine-chest-press", rir: 0)]);

        var findings = Run(check, plan, Context("intermediate"));

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void Check_RejectsRirBelowTwo_ForBeginner()
    {
        var plan = Plan("hypertrophy", [Ex("goblet-squat", rir: 1)]);

        var codes = Codes(check, plan, Context("beginner"));

        CollectionAssert.AreEqual(new[] { "V8.rir_below_level_minimum" }, codes);
    }

    [TestMethod]
    public void Check_RejectsFailure_OnBarbellPowerLifts()
    {
        var plan = Plan("strength", [Ex("barbell-back-squat", repsMin: 3, repsMax: 5, rir: 0, rest: 180)]);

        var codes = Codes(check, plan, Context("advanced"));

        CollectionAssert.AreEqual(new[] { "V8.failure_on_barbell_lift" }, codes);
    }

    [TestMethod]
    public void Check_WarnsAboutFailure_OnFreeCompoundLifts()
    {
        var plan = Plan("hypertrophy", [Ex("push-up", rir: 0)]);

        var finding = Run(check, plan, Context("advanced")).Single();

        Assert.AreEqual("V8.failure_on_compound", finding.Code);
        Assert.AreEqual(FindingSeverity.Warning, finding.Severity);
    }

    [TestMethod]
    public void Check_RejectsMaximalEfforts_ForMinors()
    {
        var lowRir = Plan("hypertrophy", [Ex("dumbbell-bench-press", rir: 1)]);
        var heavy = Plan("strength", [Ex("dumbbell-bench-press", repsMin: 2, repsMax: 3, rir: 3, rest: 180)]);
        var fine = Plan("hypertrophy", [Ex("dumbbell-bench-press", rir: 3)]);

        var lowRirCodes = Codes(check, lowRir, Context(minor: true));
        var heavyCodes = Codes(check, heavy, Context(minor: true));
        var fineCodes = Codes(check, fine, Context(minor: true));

        CollectionAssert.AreEqual(new[] { "V8.minor_max_effort" }, lowRirCodes);
        CollectionAssert.AreEqual(new[] { "V8.minor_max_effort" }, heavyCodes);
        Assert.IsEmpty(fineCodes);
    }
}
