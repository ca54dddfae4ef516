using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Validation;
using static Vigor.Tests.Workouts.PlanFixtures;

namespace Vigor.Tests.Workouts.Validation;

[TestClass]
public sealed class StructureCheckTests
{
    private readonly StructureCheck check = new();

    [TestMethod]
    public void Check_ReturnsNothing_ForWellFormedPlan()
    {
        var plan = Plan("hypertrophy", FullBodyDay());

        var findings = Run(check, plan, Context());

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void Check_ReportsUnknownExercise_WithItsPath()
    {
        var plan = Plan("hypertrophy", [Ex("push-up"), Ex("moon-walk")]);

        var finding = Run(check, plan, Context()).Single();

        Assert.AreEqual("V0.unknown_exercise", finding.Code);
        Assert.AreEqual(FindingSeverity.Error, finding.Severity);
        Assert.AreEqual("days[0].exercises[1]", finding.Path);
    }

    [TestMethod]
    public void Check_ReportsEmptyPlanDaysAndBadNumbers()
    {
        var empty = new Plan("x", "hypertrophy", []);
        var emptyDay = Plan("hypertrophy", [Ex("push-up")], []);
        var bad = Plan("yoga", [Ex("push-up", sets: 0, repsMin: 12, repsMax: 8, rir: -1, rest: 900)]);

        var emptyCodes = Codes(check, empty, Context());
        var emptyDayCodes = Codes(check, emptyDay, Context());
        var badCodes = Codes(check, bad, Context());

        CollectionAssert.AreEqual(new[] { "V0.empty_plan" }, emptyCodes);
        CollectionAssert.AreEqual(new[] { "V0.empty_day" }, emptyDayCodes);
        CollectionAssert.AreEquivalent(new[] { "V0.unknown_goal", "V0.invalid_sets", "V0.invalid_reps", "V0.invalid_rir", "V0.invalid_rest" }, badCodes);
    }

    [TestMethod]
    public void Check_AllowsSecondsAsReps_ForTimedExercises()
    {
        var plan = Plan("endurance", [Ex("stationary-bike", sets: 1, repsMin: 600, repsMax: 900, rest: 0)]);

        var findings = Run(check, plan, Context());

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void Check_ReportsMissingLists_InsteadOfThrowing()
    {
        var noDays = new Plan("x", "hypertrophy", null!);
        var noExercises = new Plan("x", "hypertrophy", [new PlanDay("Day", null!)]);

        var noDaysCodes = Codes(check, noDays, Context());
        var noExercisesCodes = Codes(check, noExercises, Context());

        CollectionAssert.AreEqual(new[] { "V0.empty_plan" }, noDaysCodes);
        CollectionAssert.AreEqual(new[] { "V0.empty_day" }, noExercisesCodes);
    }
}
