using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Validation;
using static Vigor.Tests.Workouts.PlanFixtures;

namespace Vigor.Tests.Workouts.Validation;

[TestClass]
public sealed class SessionSizeCheckTests
{
    private readonly SessionSizeCheck check = new();

    [TestMethod]
    public void Check_ReturnsNothing_ForAnHourLongDay()
    {
        var plan = Plan("hypertrophy", FullBodyDay());

        var findings = Run(check, plan, Context(minutes: 60));

        Assert.IsEmpty(findings);
    }

    [TestMethod]
    public void Check_RejectsSevenSetsOfOneExercise()
    {
        var plan = Plan("hypertrophy", [Ex("dumbbell-bench-press", sets: 7)]);

        var codes = Codes(check, plan, Context());

        CollectionAssert.AreEqual(new[] { "V5.too_many_sets_per_exercise" }, codes);
    }

    [TestMethod]
    public void Check_RejectsMoreThan25WorkingSets()
    {
        var day = Enumerable.Range(0, 6).Select(_ => Ex("cable-curl", sets: 5, rest: 30)).ToArray();
        var plan = Plan("hypertrophy", day);

        var finding = Run(check, plan, Context()).Single(f => f.Severity == FindingSeverity.Error);

        Assert.AreEqual("V5.too_many_sets", finding.Code);
        Assert.AreEqual("days[0]", finding.Path);
    }

    [TestMethod]
    public void Check_WarnsWhenTheDayOutlastsTheSession()
    {
        var plan = Plan("hypertrophy", FullBodyDay());

        var finding = Run(check, plan, Context(minutes: 20)).Single();

        Assert.AreEqual("V5.session_too_long", finding.Code);
        Assert.AreEqual(FindingSeverity.Warning, finding.Severity);
    }

    [TestMethod]
    public void Seconds_AddsWorkRestAndChangeover()
    {
        var reps = Ex("dumbbell-bench-press", sets: 3, repsMin: 8, repsMax: 12, rest: 90);
        var timed = Ex("front-plank", sets: 2, repsMin: 30, repsMax: 30, rest: 30);

        var repSeconds = SessionTime.Seconds(reps, Catalogue.Find(reps.ExerciseId));
        var timedSeconds = SessionTime.Seconds(timed, Catalogue.Find(timed.ExerciseId));

        Assert.AreEqual(3 * (10 * 4 + 90) + 30, repSeconds);
        Assert.AreEqual(2 * (30 + 30) + 30, timedSeconds);
    }
}
