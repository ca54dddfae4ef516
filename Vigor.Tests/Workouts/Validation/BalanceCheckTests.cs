using Vigor.Core.Workouts.Validation;
using static Vigor.Tests.Workouts.PlanFixtures;

namespace Vigor.Tests.Workouts.Validation;

[TestClass]
public sealed class BalanceCheckTests
{
    private readonly BalanceCheck check = new();

    [TestMethod]
    public void Check_ReturnsNothing_ForBalancedFullBodyWeek()
    {
        var plan = Plan("hypertrophy", FullBodyDay(), FullBodyDay());

        var findings = Run(check, plan, Context());

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void Check_WarnsAboutPushHeavyWeek()
    {
        var plan = Plan("hypertrophy", [Ex("dumbbell-bench-press", sets: 4), Ex("seated-dumbbell-shoulder-press", sets: 4), Ex("seated-cable-row", sets: 3), Ex("leg-press", sets: 4)]);

        var finding = Run(check, plan, Context()).Single();

        Assert.AreEqual("V12.push_pull_imbalance", finding.Code);
        Assert.AreEqual(FindingSeverity.Warning, finding.Severity);
    }

    [TestMethod]
    public void Check_WarnsWhenLegsGetUnderAQuarter_UnlessGoalOrFocusSaysOtherwise()
    {
        var upper = new[] { Ex("dumbbell-bench-press"), Ex("seated-cable-row"), Ex("leg-press", sets: 1) };

        var hypertrophy = Codes(check, Plan("hypertrophy", upper), Context());
        var mobility = Codes(check, Plan("mobility", upper), Context());
        var focused = Codes(check, Plan("hypertrophy", upper), Context() with { Focus = "upper_body" });

        CollectionAssert.AreEqual(new[] { "V12.legs_underrepresented" }, hypertrophy);
        Assert.IsEmpty(mobility);
        Assert.IsEmpty(focused);
    }
}
