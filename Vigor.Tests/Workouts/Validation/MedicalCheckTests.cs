using Vigor.Core.Workouts.Validation;
using static Vigor.Tests.Workouts.PlanFixtures;

namespace Vigor.Tests.Workouts.Validation;

[TestClass]
public sealed class MedicalCheckTests
{
    private readonly MedicalCheck check = new();

    [TestMethod]
    public void Check_AcceptsExercisesAwayFromTheInjury()
    {
        var plan = Plan("hypertrophy", [Ex("push-up"), Ex("seated-cable-row")]);

        var findings = Run(check, plan, Context(injuries: ["knee"]));

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void Check_RejectsExerciseLoadingAnInjuredArea()
    {
        var plan = Plan("hypertrophy", [Ex("push-up"), Ex("barbell-back-squat", rest: 120)]);

        var finding = Run(check, plan, Context(injuries: ["knee"])).Single();

        Assert.AreEqual("V11.loads_injured_area", finding.Code);
        Assert.AreEqual(FindingSeverity.Error, finding.Severity);
        Assert.AreEqual("days[0].exercises[1]", finding.Path);
        StringAssert.Contains(finding.Message, "knee");
    }

    [TestMethod]
    public void Check_AllowsOnlyLowIntensity_WhenScreeningIsFlagged()
    {
        var gentle = Plan("general_fitness", [Ex("goblet-squat", sets: 2, repsMin: 12, repsMax: 15, rir: 3), Ex("stationary-bike", sets: 1, repsMin: 600, repsMax: 900, rir: 4, rest: 0)]);
        var hard = Plan("strength", [Ex("barbell-back-squat", repsMin: 3, repsMax: 5, rir: 2, rest: 180), Ex("goblet-squat", repsMin: 6, repsMax: 8, rir: 3)]);

        var gentleFindings = Run(check, gentle, Context(flagged: true));
        var hardCodes = Codes(check, hard, Context(flagged: true));

        Assert.IsEmpty(gentleFindings);
        CollectionAssert.AreEqual(new[] { "V11.screening_requires_low_intensity", "V11.screening_requires_low_intensity" }, hardCodes);
    }
}
