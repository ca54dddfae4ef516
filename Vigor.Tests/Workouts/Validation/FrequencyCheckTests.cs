using Vigor.Core.Workouts.Validation;
using static Vigor.Tests.Workouts.PlanFixtures;

namespace Vigor.Tests.Workouts.Validation;

[TestClass]
public sealed class FrequencyCheckTests
{
    private readonly FrequencyCheck check = new();

    [TestMethod]
    public void Check_ReturnsNothing_WhenDaysFitLevelAndAvailability()
    {
        var plan = Plan("hypertrophy", FullBodyDay(), FullBodyDay(), FullBodyDay(), FullBodyDay());

        var codes = Codes(check, plan, Context("intermediate", days: 4));

        Assert.IsEmpty(codes);
    }

    [TestMethod]
    public void Check_RejectsFourDays_ForBeginner()
    {
        var plan = Plan("hypertrophy", FullBodyDay(), FullBodyDay(), FullBodyDay(), FullBodyDay());

        var codes = Codes(check, plan, Context("beginner", days: 7));

        CollectionAssert.AreEqual(new[] { "V1.too_many_days_for_level" }, codes);
    }

    [TestMethod]
    public void Check_RejectsSevenDays_WithoutARestDay()
    {
        var plan = Plan("hypertrophy", Enumerable.Range(0, 7).Select(_ => FullBodyDay()).ToArray());

        var codes = Codes(check, plan, Context("advanced", days: 7));

        CollectionAssert.AreEquivalent(new[] { "V1.no_rest_day", "V1.too_many_days_for_level" }, codes);
    }

    [TestMethod]
    public void Check_RejectsMoreDaysThanTheUserHas()
    {
        var plan = Plan("hypertrophy", FullBodyDay(), FullBodyDay(), FullBodyDay());

        var codes = Codes(check, plan, Context("intermediate", days: 2));

        CollectionAssert.AreEqual(new[] { "V1.exceeds_availability" }, codes);
    }

    [TestMethod]
    public void Check_WarnsBeginner_AboutSplitDays()
    {
        var plan = Plan("general_fitness", [Ex("push-up"), Ex("doorway-row")], FullBodyDay());

        var finding = Run(check, plan, Context("beginner", days: 3)).Single();

        Assert.AreEqual("V1.beginner_not_full_body", finding.Code);
        Assert.AreEqual(FindingSeverity.Warning, finding.Severity);
        Assert.AreEqual("days[0]", finding.Path);
    }
}
