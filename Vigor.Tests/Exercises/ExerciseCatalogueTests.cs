using Vigor.Core.Exercises;
using Vigor.Core.Profiles;

namespace Vigor.Tests.Exercises;

[TestClass]
public sealed class ExerciseCatalogueTests
{
    private static readonly ExerciseCatalogue Catalogue = ExerciseCatalogue.Default;

    [TestMethod]
    public void Default_HasAtLeast150UniqueExercises()
    {
        var ids = Catalogue.All.Select(e => e.Id).ToList();

        Assert.IsGreaterThanOrEqualTo(150, ids.Count);
        Assert.HasCount(ids.Count, ids.Distinct(StringComparer.Ordinal));
        Assert.IsTrue(ids.All(id => id.Length > 0 && id.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-') && !id.StartsWith('-') && !id.EndsWith('-')));
    }

    [TestMethod]
    public void Default_UsesOnlyKnownVocabulary()
    {
        var exercises = Catalogue.All;

        foreach (var e in exercises)
        {
            Assert.IsNotEmpty(e.Name, e.Id);
            Assert.IsNotEmpty(e.PrimaryMuscles, e.Id);
            Assert.IsNotEmpty(e.Equipment, e.Id);
            Assert.IsTrue(e.PrimaryMuscles.Concat(e.SecondaryMuscles).All(ExerciseVocabulary.Muscles.Contains), e.Id);
            Assert.IsFalse(e.PrimaryMuscles.Intersect(e.SecondaryMuscles).Any(), e.Id);
            Assert.IsTrue(e.Equipment.All(ProfileVocabulary.Equipment.Contains), e.Id);
            Assert.IsTrue(e.LoadsAreas.All(ProfileVocabulary.BodyAreas.Contains), e.Id);
            Assert.Contains(e.Level, ExerciseVocabulary.Levels, e.Id);
            Assert.Contains(e.Mechanic, ExerciseVocabulary.Mechanics, e.Id);
            Assert.Contains(e.Pattern, ExerciseVocabulary.Patterns, e.Id);
        }
    }

    [TestMethod]
    public void Default_HasTwoToFourInstructionSentencesEach()
    {
        var exercises = Catalogue.All;

        foreach (var e in exercises)
        {
            Assert.IsTrue(e.Instructions.Count is >= 2 and <= 4, e.Id);
            Assert.IsTrue(e.Instructions.All(s => s.Trim().Length >= 10 && s.TrimEnd().EndsWith('.')), e.Id);
        }
    }

    [TestMethod]
    public void Default_CoversEveryEquipmentKindMuscleAndPattern()
    {
        var exercises = Catalogue.All;

        foreach (var kind in ProfileVocabulary.Equipment)
            Assert.IsTrue(exercises.Any(e => e.Equipment.Contains(kind)), kind);
        foreach (var muscle in ExerciseVocabulary.Muscles)
            Assert.IsTrue(exercises.Any(e => e.PrimaryMuscles.Contains(muscle)), muscle);
        foreach (var pattern in ExerciseVocabulary.Patterns)
            Assert.IsTrue(exercises.Any(e => e.Pattern == pattern), pattern);
        CollectionAssert.AreEqual(ExerciseVocabulary.Muscles, Catalogue.Muscles.Select(m => m.Id).ToArray());
    }

    [TestMethod]
    public void Default_FlagsTheLiftsV8AndV10NeedToKnow()
    {
        var exercises = Catalogue.All;

        Assert.IsTrue(Catalogue.Find("barbell-back-squat")!.IsBarbellPowerLift);
        Assert.IsTrue(Catalogue.Find("conventional-deadlift")!.IsBarbellPowerLift);
        Assert.IsTrue(Catalogue.Find("barbell-bench-press")!.IsBarbellPowerLift);
        Assert.IsTrue(Catalogue.Find("power-clean")!.IsOlympic);
        Assert.IsTrue(exercises.Any(e => e.LoadsAreas.Count == 0 && e.Pattern == "mobility" && e.Level == "beginner"), "a no-load fallback exists");
    }

    [TestMethod]
    public void Find_ReturnsExercise_ForKnownId()
    {
        var found = Catalogue.Find("goblet-squat");
        var missing = Catalogue.Find("no-such-exercise");

        Assert.AreEqual("Dumbbell Goblet Squat", found?.Name);
        Assert.IsNull(missing);
    }

    [TestMethod]
    public void ResolveMuscles_MapsCommonNames()
    {
        var pecs = Catalogue.ResolveMuscles("pecs");
        var abdominals = Catalogue.ResolveMuscles("Abdominals");
        var legs = Catalogue.ResolveMuscles("legs");
        var hamstring = Catalogue.ResolveMuscles("hamstring");

        CollectionAssert.AreEquivalent(new[] { "chest" }, pecs.ToArray());
        CollectionAssert.AreEquivalent(new[] { "abs" }, abdominals.ToArray());
        CollectionAssert.IsSubsetOf(new[] { "quads", "hamstrings", "calves" }, legs.ToArray());
        CollectionAssert.AreEquivalent(new[] { "hamstrings" }, hamstring.ToArray());
    }
}
