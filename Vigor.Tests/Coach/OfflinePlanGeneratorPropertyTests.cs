using CsCheck;
using Vigor.Core.Coach.Offline;
using Vigor.Core.Exercises;
using Vigor.Core.Profiles;
using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Validation;

namespace Vigor.Tests.Coach;

[TestClass]
public sealed class OfflinePlanGeneratorPropertyTests
{
    private static readonly ExerciseCatalogue Catalogue = ExerciseCatalogue.Default;
    private static readonly OfflinePlanGenerator Generator = new(Catalogue, new PlanValidator(Catalogue));

    private static readonly Gen<PlanContext> Profiles =
        from level in Gen.Int[0, ProfileVocabulary.FitnessLevels.Length - 1].Select(i => ProfileVocabulary.FitnessLevels[i])
        from goalMask in Gen.Int[1, (1 << ProfileVocabulary.Goals.Length) - 1]
        from equipmentMask in Gen.Int[0, (1 << ProfileVocabulary.Equipment.Length) - 1]
        from injuries in Gen.Int[0, ProfileVocabulary.BodyAreas.Length - 1].Array[0, 3]
        from days in Gen.Int[1, 7]
        from minutes in Gen.Int[15, 120]
        from minor in Gen.Bool
        from flagged in Gen.Bool
        select new PlanContext(
            level,
            Subset(ProfileVocabulary.Goals, goalMask),
            Subset(ProfileVocabulary.Equipment, equipmentMask),
            injuries.Distinct().Select(i => ProfileVocabulary.BodyAreas[i]).ToArray(),
            days,
            minutes,
            minor,
            flagged);

    [TestMethod]
    public void Generate_ProducesSafeFittingPlans_ForRandomProfiles()
    {
        Profiles.Sample(
            context =>
            {
                var generated = Generator.Generate(context);

                var plan = generated.Plan;
                var errors = string.Join("; ", generated.Validation.Errors.Select(e => $"{e.Code}: {e.Message}"));
                Assert.IsFalse(generated.Validation.HasErrors, errors);
                Assert.IsFalse(new PlanValidator(Catalogue).Validate(plan, context).HasErrors, "errors against the profile itself");
                var exercises = plan.Days.SelectMany(d => d.Exercises).Select(e => Catalogue.Find(e.ExerciseId)!).ToList();
                Assert.IsTrue(exercises.All(e => e.IsUsableWith(context.Equipment)), "equipment outside the profile");
                Assert.IsFalse(exercises.Any(e => e.LoadsAnyOf(context.InjuredAreas)), "an injured area is loaded");
                Assert.IsTrue(plan.Days.All(d => SessionTime.Minutes(d, Catalogue) <= context.SessionMinutes), "a session is too long");
                Assert.IsTrue(plan.Days.Count >= 1 && plan.Days.Count <= context.DaysPerWeek);
            },
            iter: 1500,
            print: c => $"{c.Level} goals=[{string.Join(",", c.Goals)}] eq=[{string.Join(",", c.Equipment)}] inj=[{string.Join(",", c.InjuredAreas)}] days={c.DaysPerWeek} min={c.SessionMinutes} minor={c.IsMinor} flagged={c.ScreeningFlagged}");
    }

    [TestMethod]
    public void Generate_ProducesSafePlans_WithAndWithoutBodyweightListed()
    {
        Gen.Int[0, (1 << ProfileVocabulary.Equipment.Length) - 1].Sample(
            mask =>
            {
                var equipment = Subset(ProfileVocabulary.Equipment, mask);
                var withBodyweight = equipment.Append("bodyweight").Distinct().ToArray();
                var without = equipment.Where(e => e != "bodyweight").ToArray();

                foreach (var kit in new[] { withBodyweight, without })
                {
                    var context = new PlanContext("intermediate", ["hypertrophy"], kit, [], 4, 60);
                    var generated = Generator.Generate(context);

                    Assert.IsFalse(generated.Validation.HasErrors, string.Join("; ", generated.Validation.Errors.Select(e => e.Message)));
                }
            },
            iter: 200);
    }

    private static string[] Subset(string[] values, int mask) =>
        values.Where((_, i) => (mask & (1 << i)) != 0).ToArray();
}
