using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Validation;
using static Vigor.Tests.Workouts.PlanFixtures;

namespace Vigor.Tests.Workouts.Validation;

[TestClass]
public sealed class RecoveryCheckTests
{
    private readonly RecoveryCheck check = new();

    private static readonly PlanExercise[] Chest = [Ex("dumbbell-fly", sets: 4)];
    private static readonly PlanExercise[] Legs = [Ex("leg-press", sets: 4)];

    [TestMethod]
    public void Check_RejectsSameMuscleHard_OnConsecutiveDays()
    {
        // Four days fall on Mon/Tue/Thu/Sat, so days 1 and 2 are back to back.
        var plan = Plan("hypertrophy", Chest, Chest, Legs, Legs);

        var finding = Run(check, plan, Context()).Single();

        Assert.AreEqual("V3.consecutive_hard_days", finding.Code);
        Assert.AreEqual(FindingSeverity.Error, finding.Severity);
        Assert.AreEqual("days[1]", finding.Path);
        StringAssert.StartsWith(finding.Message, "chest");
    }

    [TestMethod]
    public void Check_ReturnsNothing_ForAlternatingUpperLower()
    {
        var plan = Plan("hypertrophy", Chest, Legs, Chest, Legs);

        var findings = Run(check, plan, Context());

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void Check_ReturnsNothing_WhenSessionsAreEasy()
    {
        var easy = new[] { Ex("dumbbell-fly", sets: 4, rir: 4) };
        var plan = Plan("hypertrophy", easy, easy, Legs, Legs);

        var findings = Run(check, plan, Context());

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void ConsecutivePairs_FollowTheEvenSpread()
    {
        var three = WeekSchedule.ConsecutivePairs(3).ToList();
        var five = WeekSchedule.ConsecutivePairs(5).ToList();

        Assert.IsEmpty(three);
        CollectionAssert.AreEqual(new[] { (0, 1), (1, 2), (3, 4) }, five);
    }
}
