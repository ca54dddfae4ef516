using Vigor.Core.Workouts.Validation;
using static Vigor.Tests.Workouts.PlanFixtures;

namespace Vigor.Tests.Workouts.Validation;

[TestClass]
public sealed class PlanValidatorTests
{
    private readonly PlanValidator validator = new(Catalogue);

    [TestMethod]
    public void Validate_ReturnsNoErrors_ForSensibleThreeDayPlan()
    {
        var plan = Plan("hypertrophy", FullBodyDay(), FullBodyDay(), FullBodyDay());

        var validation = validator.Validate(plan, Context("intermediate", days: 3, minutes: 60));

        Assert.IsFalse(validation.HasErrors, string.Join("; ", validation.Errors.Select(e => e.Message)));
    }

    [TestMethod]
    public void Validate_CollectsFindingsFromEveryCheck()
    {
        var plan = Plan("strength", [Ex("power-clean", repsMin: 2, repsMax: 3, rir: 0, rest: 60), Ex("moon-walk")], [Ex("barbell-back-squat", rir: 0, rest: 120)]);

        var validation = validator.Validate(plan, Context("beginner", days: 1, equipment: ["dumbbells"], injuries: ["knee"]));

        var checks = validation.Errors.Select(e => e.Code.Split('.')[0]).Distinct().ToList();
        Assert.IsTrue(validation.HasErrors);
        CollectionAssert.IsSubsetOf(new[] { "V0", "V1", "V4", "V8", "V9", "V10", "V11" }, checks);
    }
}
