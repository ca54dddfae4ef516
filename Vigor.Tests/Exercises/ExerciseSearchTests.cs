using Vigor.Core.Exercises;

namespace Vigor.Tests.Exercises;

[TestClass]
public sealed class ExerciseSearchTests
{
    private static readonly ExerciseCatalogue Catalogue = ExerciseCatalogue.Default;

    [TestMethod]
    public void Filter_ListsPrimaryMatchesFirst_WhenMuscleIsACommonName()
    {
        var results = Catalogue.Filter(new ExerciseFilter(Muscle: "pecs"));

        Assert.IsNotEmpty(results);
        Assert.IsTrue(results.All(e => e.PrimaryMuscles.Contains("chest") || e.SecondaryMuscles.Contains("chest")));
        var firstSecondary = results.ToList().FindIndex(e => !e.PrimaryMuscles.Contains("chest"));
        Assert.IsTrue(firstSecondary < 0 || results.Skip(firstSecondary).All(e => !e.PrimaryMuscles.Contains("chest")));
    }

    [TestMethod]
    public void Filter_CombinesEquipmentAndLevel()
    {
        var results = Catalogue.Filter(new ExerciseFilter(Equipment: ["kettlebells"], Level: "beginner"));

        Assert.IsNotEmpty(results);
        Assert.IsTrue(results.All(e => e.Equipment.Contains("kettlebells") && e.Level == "beginner"));
    }

    [TestMethod]
    public void Filter_MatchesNames_WhenQueryIsText()
    {
        var results = Catalogue.Filter(new ExerciseFilter(Q: "bench press"));

        Assert.AreEqual("barbell-bench-press", results[0].Id);
        Assert.IsTrue(results.Take(4).All(e => e.Name.Contains("Bench Press", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Filter_MatchesMuscleNames_WhenQueryIsAMuscleAlias()
    {
        var results = Catalogue.Filter(new ExerciseFilter(Q: "abdominals"));

        Assert.IsNotEmpty(results);
        Assert.IsTrue(results[0].PrimaryMuscles.Contains("abs"));
    }

    [TestMethod]
    public void Filter_ReturnsNothing_WhenQueryMatchesNothing()
    {
        var results = Catalogue.Filter(new ExerciseFilter(Q: "zzzz"));

        Assert.IsEmpty(results);
    }

    [TestMethod]
    public void Alternatives_ReturnsSamePatternUsableExercises_BestFirst()
    {
        var original = Catalogue.Find("barbell-back-squat")!;

        var alternatives = Catalogue.Alternatives(original.Id, ["dumbbells"]);

        Assert.IsNotEmpty(alternatives);
        Assert.IsTrue(alternatives.All(a => a.Pattern == "squat" && a.Id != original.Id && a.IsUsableWith(["dumbbells"])));
        Assert.IsTrue(alternatives.All(a => a.PrimaryMuscles.Intersect(original.PrimaryMuscles).Any()));
        Assert.Contains("dumbbells", alternatives[0].Equipment);
    }

    [TestMethod]
    public void Alternatives_ReturnsEmpty_WhenIdIsUnknown()
    {
        var alternatives = Catalogue.Alternatives("nope", null);

        Assert.IsEmpty(alternatives);
    }
}
