using System.Text.Json;
using Vigor.Core.Coach.Offline;
using Vigor.Core.Exercises;
using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Validation;

namespace Vigor.Tests.Coach;

[TestClass]
public sealed class OfflinePlanGeneratorTests
{
    private static readonly ExerciseCatalogue Catalogue = ExerciseCatalogue.Default;
    private readonly OfflinePlanGenerator generator = new(Catalogue, new PlanValidator(Catalogue));

    private static PlanContext Profile(string level = "intermediate", string goal = "hypertrophy", int days = 4, int minutes = 60) =>
        new(level, [goal], ["dumbbells", "bench", "barbell", "cable", "machine", "pullup_bar"], [], days, minutes);

    [TestMethod]
    public void Generate_ReturnsTheSamePlan_ForTheSameInputs()
    {
        var first = generator.Generate(Profile());
        var second = new OfflinePlanGenerator(Catalogue, new PlanValidator(Catalogue)).Generate(Profile());

        Assert.AreEqual(JsonSerializer.Serialize(first.Plan), JsonSerializer.Serialize(second.Plan));
    }

    [TestMethod]
    public void Generate_BuildsUpperLowerWeek_WithoutErrors()
    {
        var generated = generator.Generate(Profile(days: 4));

        Assert.HasCount(4, generated.Plan.Days);
        Assert.IsFalse(generated.Validation.HasErrors);
        Assert.AreEqual("hypertrophy", generated.Plan.Goal);
        StringAssert.StartsWith(generated.Plan.Days[0].Name, "Upper");
        StringAssert.StartsWith(generated.Plan.Days[1].Name, "Lower");
    }

    [TestMethod]
    public void Generate_CapsDaysAndSaysSo_WhenBeginnerAsksForSix()
    {
        var generated = generator.Generate(Profile("beginner", days: 6));

        Assert.HasCount(3, generated.Plan.Days);
        Assert.IsTrue(generated.Notes.Any(n => n.Contains("6 days", StringComparison.Ordinal) && n.Contains("3", StringComparison.Ordinal)));
        Assert.IsTrue(generated.Plan.Days.All(d => d.Name.StartsWith("Full Body", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Generate_KeepsToLowIntensity_WhenScreeningIsFlagged()
    {
        var generated = generator.Generate(Profile("advanced", "strength") with { ScreeningFlagged = true });

        var items = generated.Plan.Days.SelectMany(d => d.Exercises).ToList();
        Assert.AreEqual("general_fitness", generated.Plan.Goal);
        Assert.IsTrue(items.All(i => MedicalCheck.IsLowIntensity(i, Catalogue.Find(i.ExerciseId)!)));
        Assert.IsTrue(generated.Notes.Any(n => n.Contains("screening", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Generate_AvoidsWeightLossFramingAndMaximalEfforts_ForMinors()
    {
        var generated = generator.Generate(Profile("intermediate", "weight_loss") with { IsMinor = true });

        var items = generated.Plan.Days.SelectMany(d => d.Exercises).ToList();
        Assert.AreEqual("general_fitness", generated.Plan.Goal);
        Assert.IsFalse(generated.Plan.Name.Contains("weight", StringComparison.OrdinalIgnoreCase));
        Assert.IsTrue(items.All(i => i.TargetRir >= 3));
        Assert.IsFalse(generated.Notes.Any(n => n.Contains("weight loss", StringComparison.OrdinalIgnoreCase)));
    }

    [TestMethod]
    public void Generate_LeavesOutExercisesLoadingInjuredAreas()
    {
        var generated = generator.Generate(Profile() with { InjuredAreas = ["knee", "shoulder"] });

        var exercises = generated.Plan.Days.SelectMany(d => d.Exercises).Select(i => Catalogue.Find(i.ExerciseId)!).ToList();
        Assert.IsFalse(exercises.Any(e => e.LoadsAnyOf(["knee", "shoulder"])));
        Assert.IsFalse(generated.Validation.HasErrors);
    }

    [TestMethod]
    public void Generate_FitsAFifteenMinuteSession()
    {
        var generated = generator.Generate(Profile(minutes: 15));

        Assert.IsTrue(generated.Plan.Days.All(d => SessionTime.Minutes(d, Catalogue) <= 15));
        Assert.IsTrue(generated.Plan.Days.All(d => d.Exercises.Count >= 1));
    }

    [TestMethod]
    public void Generate_FallsBackToGentleWork_WhenInjuriesRuleOutAlmostEverything()
    {
        var injured = new[] { "neck", "shoulder", "elbow", "wrist", "upper_back", "lower_back", "chest", "abdomen", "hip", "knee" };

        var generated = generator.Generate(Profile() with { InjuredAreas = injured });

        Assert.IsFalse(generated.Validation.HasErrors);
        Assert.IsTrue(generated.Plan.Days.All(d => d.Exercises.Count >= 1));
    }

    [TestMethod]
    public void Generate_AppliesRequestOverrides()
    {
        var generated = generator.Generate(Profile(), new PlanRequest(Goal: "strength", DaysPerWeek: 2, SessionMinutes: 45));

        Assert.AreEqual("strength", generated.Plan.Goal);
        Assert.HasCount(2, generated.Plan.Days);
        Assert.AreEqual(45, generated.Context.SessionMinutes);
        Assert.IsTrue(generated.Plan.Days.All(d => SessionTime.Minutes(d, Catalogue) <= 45));
    }

    [TestMethod]
    public void Generate_AddsFocusWork_WhenFocusNamesAMuscle()
    {
        var generated = generator.Generate(Profile(days: 3, minutes: 90), new PlanRequest(Focus: "biceps"));

        Assert.IsTrue(generated.Plan.Days.All(d => d.Exercises.Any(i => Catalogue.Find(i.ExerciseId)!.PrimaryMuscles.Contains("biceps"))));
    }
}
