using Vigor.Core.Workouts.Validation;
using static Vigor.Tests.Workouts.PlanFixtures;

namespace Vigor.Tests.Workouts.Validation;

[TestClass]
public sealed class VolumeRampCheckTests
{
    private readonly VolumeRampCheck check = new();

    [TestMethod]
    public void Check_DoesNothing_WithoutPreviousWeekOrDeloadHistory()
    {
        var plan = Plan("hypertrophy", [Ex("dumbbell-fly", sets: 6)]);

        var findings = Run(check, plan, Context());

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void Check_AcceptsTwentyPercentMore()
    {
        var previous = Plan("hypertrophy", [Ex("dumbbell-fly", sets: 5)], [Ex("dumbbell-fly", sets: 5)]);
        var plan = Plan("hypertrophy", [Ex("dumbbell-fly", sets: 6)], [Ex("dumbbell-fly", sets: 6)]);

        var findings = Run(check, plan, Context() with { PreviousWeek = previous });

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void Check_WarnsAboutASteepRamp()
    {
        var previous = Plan("hypertrophy", [Ex("dumbbell-fly", sets: 3)], [Ex("dumbbell-fly", sets: 3)]);
        var plan = Plan("hypertrophy", [Ex("dumbbell-fly", sets: 6)], [Ex("dumbbell-fly", sets: 6)]);

        var finding = Run(check, plan, Context() with { PreviousWeek = previous }).First();

        Assert.AreEqual("V7.volume_ramp", finding.Code);
        StringAssert.StartsWith(finding.Message, "chest goes from 6 to 12");
    }

    [TestMethod]
    public void Check_WarnsWhenDeloadIsOverdue_ForIntermediate()
    {
        var plan = Plan("hypertrophy", FullBodyDay());

        var intermediate = Codes(check, plan, Context("intermediate") with { WeeksSinceDeload = 9 });
        var beginner = Codes(check, plan, Context("beginner") with { WeeksSinceDeload = 9 });

        CollectionAssert.AreEqual(new[] { "V7.deload_overdue" }, intermediate);
        Assert.IsEmpty(beginner);
    }

    [TestMethod]
    public void Check_AcceptsOverdueDeload_WhenThisWeekIsTheDeload()
    {
        var previous = Plan("hypertrophy", FullBodyDay(), FullBodyDay());
        var plan = Plan("hypertrophy", FullBodyDay());

        var findings = Run(check, plan, Context() with { PreviousWeek = previous, WeeksSinceDeload = 9 });

        Assert.IsEmpty(findings);
    }
}
