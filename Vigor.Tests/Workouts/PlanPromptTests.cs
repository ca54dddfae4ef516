using Vigor.Core.Exercises;
using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Generation;

namespace Vigor.Tests.Workouts;

/// <summary>
/// The plan prompt's system message is kept per catalogue, level, equipment and injured areas: what is kept equals what
/// a fresh build gives, and every input that changes the message changes what is served.
/// </summary>
[TestClass]
public sealed class PlanPromptTests
{
    private static PlanContext Context(string level, string[] equipment, string[] injured) =>
        new(level, ["strength"], equipment, injured, 3, 60);

    private static string System(PlanContext context, ExerciseCatalogue catalogue) =>
        PlanPrompt.Build(context, null, catalogue).Single(m => m.Role == "system").Content;

    // A catalogue instance of its own starts with nothing kept.
    private static ExerciseCatalogue Fresh() => new(ExerciseCatalogue.Default.Muscles, ExerciseCatalogue.Default.All);

    [TestMethod]
    public void KeptMessage_EqualsAFreshBuild_WhateverTheOrderOrRepeats()
    {
        var catalogue = ExerciseCatalogue.Default;
        var first = System(Context("intermediate", ["barbell", "bench", "dumbbells"], ["knee"]), catalogue);
        var reordered = System(Context("intermediate", ["dumbbells", "barbell", "bench", "barbell"], ["knee", "knee"]), catalogue);

        Assert.AreEqual(first, reordered);
        Assert.AreEqual(System(Context("intermediate", ["barbell", "bench", "dumbbells"], ["knee"]), Fresh()), first);
    }

    [TestMethod]
    public void EachInput_ChangesTheMessage()
    {
        var catalogue = Fresh();
        var plain = System(Context("beginner", ["barbell"], []), catalogue);
        var knee = System(Context("beginner", ["barbell"], ["knee"]), catalogue);
        var dumbbells = System(Context("beginner", ["dumbbells"], []), catalogue);
        var advanced = System(Context("advanced", ["barbell"], []), catalogue);

        Assert.AreEqual(4, new[] { plain, knee, dumbbells, advanced }.Distinct().Count());
        StringAssert.Contains(plain, "bodyweight-squat |", "a squat is offered");
        Assert.DoesNotContain("bodyweight-squat |", knee, "but not to a user whose knee is injured");
        Assert.AreEqual(knee, System(Context("beginner", ["barbell"], ["knee"]), Fresh()), "as a fresh build says");
    }

    [TestMethod]
    public void ListValues_CannotPassForOthers()
    {
        var catalogue = Fresh();
        var two = System(Context("beginner", ["barbell", "bench"], []), catalogue);
        var one = System(Context("beginner", ["barbell,bench"], []), catalogue);

        Assert.AreNotEqual(two, one);
        Assert.AreEqual(System(Context("beginner", ["barbell,bench"], []), Fresh()), one);
    }
}
