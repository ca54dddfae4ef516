using static Vigor.Tests.Workouts.PlanFixtures;
using Vigor.Core.Workouts.Validation;

namespace Vigor.Tests.Workouts.Validation;

[TestClass]
public sealed class EquipmentCheckTests
{
    private readonly EquipmentCheck check = new();

    [TestMethod]
    public void Check_AcceptsOwnedEquipmentAndBodyweight_EvenWhenBodyweightIsNotListed()
    {
        var plan = Plan("hypertrophy", [Ex("dumbbell-bench-press"), Ex("push-up")]);

        var findings = Run(check, plan, Context(equipment: ["dumbbells", "bench"]));

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void Check_RejectsExercise_NeedingMissingEquipment()
    {
        var plan = Plan("hypertrophy", [Ex("barbell-bench-press", rest: 120)]);

        var finding = Run(check, plan, Context(equipment: ["barbell"])).Single();

        Assert.AreEqual("V9.equipment_unavailable", finding.Code);
        Assert.AreEqual(FindingSeverity.Error, finding.Severity);
        StringAssert.Contains(finding.Message, "bench");
    }
}
