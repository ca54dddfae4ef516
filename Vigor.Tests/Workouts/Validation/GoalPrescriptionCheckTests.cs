using Vigor.Core.Workouts.Validation;
using static Vigor.Tests.Workouts.PlanFixtures;

namespace Vigor.Tests.Workouts.Validation;

[TestClass]
public sealed class GoalPrescriptionCheckTests
{
    private readonly GoalPrescriptionCheck check = new();

    [TestMethod]
    public void Check_ReturnsNothing_ForHypertrophyPrescription()
    {
        var plan = Plan("hypertrophy", [Ex("dumbbell-bench-press", repsMin: 8, repsMax: 12, rest: 90), Ex("cable-curl", repsMin: 10, repsMax: 15, rest: 60)]);

        var findings = Run(check, plan, Context());

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void Check_RejectsShortRest_AfterHeavySets()
    {
        var plan = Plan("strength", [Ex("barbell-back-squat", repsMin: 3, repsMax: 5, rir: 2, rest: 60)]);

        var finding = Run(check, plan, Context()).First();

        Assert.AreEqual("V4.rest_too_short_for_heavy", finding.Code);
        Assert.AreEqual(FindingSeverity.Error, finding.Severity);
        Assert.AreEqual("days[0].exercises[0]", finding.Path);
    }

    [TestMethod]
    public void Check_WarnsAboutRepsAndRest_OutsideTheGoal()
    {
        var plan = Plan("hypertrophy", [Ex("dumbbell-bench-press", repsMin: 20, repsMax: 25, rest: 240)]);

        var codes = Codes(check, plan, Context());

        CollectionAssert.AreEquivalent(new[] { "V4.reps_outside_goal", "V4.rest_outside_goal" }, codes);
    }

    [TestMethod]
    public void Check_AcceptsLowReps_ForStrength()
    {
        var plan = Plan("strength", [Ex("barbell-back-squat", repsMin: 3, repsMax: 5, rir: 2, rest: 180)]);

        var findings = Run(check, plan, Context());

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void Check_WarnsBeginner_AboutLoadsHeavierThanEightRepMax()
    {
        var plan = Plan("strength", [Ex("goblet-squat", repsMin: 5, repsMax: 6, rir: 2, rest: 180)]);

        var codes = Codes(check, plan, Context("beginner"));

        CollectionAssert.AreEqual(new[] { "V4.load_heavy_for_level" }, codes);
    }

    [TestMethod]
    public void Check_SkipsTimedAndCardioWork()
    {
        var plan = Plan("strength", [Ex("front-plank", repsMin: 30, repsMax: 45, rest: 30), Ex("rowing-machine", sets: 1, repsMin: 600, repsMax: 900, rest: 0)]);

        var findings = Run(check, plan, Context());

        Assert.IsEmpty(findings);
    }
}
