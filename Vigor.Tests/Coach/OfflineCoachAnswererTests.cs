using Vigor.Core.Coach.Offline;
using Vigor.Core.Exercises;

namespace Vigor.Tests.Coach;

[TestClass]
public sealed class OfflineCoachAnswererTests
{
    private readonly OfflineCoachAnswerer answerer = new(ExerciseCatalogue.Default);

    [TestMethod]
    public void Answer_GivesFormCues_ForANamedExercise()
    {
        var answer = answerer.Answer("How do I do a goblet squat properly?");

        Assert.AreEqual("form", answer.Intent);
        Assert.AreEqual("goblet-squat", answer.ExerciseId);
        StringAssert.Contains(answer.Text, ExerciseCatalogue.Default.Find("goblet-squat")!.Instructions[0]);
    }

    [TestMethod]
    public void Answer_PrefersTheLongestExerciseName()
    {
        var answer = answerer.Answer("any tips for romanian deadlifts? my romanian deadlift feels off");

        Assert.AreEqual("form", answer.Intent);
        StringAssert.Contains(answer.ExerciseId!, "romanian-deadlift");
    }

    [TestMethod]
    [DataRow("bench press form?", "barbell-bench-press")]
    [DataRow("how do I deadlift safely", "conventional-deadlift")]
    [DataRow("Cues for push-ups please", "push-up")]
    public void Answer_FindsTheClassicLift_ForCommonShortNames(string message, string exerciseId)
    {
        var answer = answerer.Answer(message);

        Assert.AreEqual("form", answer.Intent);
        Assert.AreEqual(exerciseId, answer.ExerciseId);
    }

    [TestMethod]
    public void Answer_AsksWhichExercise_WhenFormQuestionNamesNone()
    {
        var answer = answerer.Answer("Can you check my technique?");

        Assert.AreEqual("form", answer.Intent);
        Assert.IsNull(answer.ExerciseId);
        StringAssert.Contains(answer.Text, "which exercise");
    }

    [TestMethod]
    [DataRow("How long should I rest between sets?", "rest")]
    [DataRow("When should I add weight to the bar?", "progression")]
    [DataRow("How do I progress?", "progression")]
    [DataRow("I missed two workouts last week, what now?", "missed_session")]
    [DataRow("Do I need a deload? I feel worn out", "deload")]
    [DataRow("What does RIR mean?", "rir")]
    public void Answer_RecognisesCommonIntents(string message, string intent)
    {
        var answer = answerer.Answer(message);

        Assert.AreEqual(intent, answer.Intent);
        Assert.IsGreaterThan(100, answer.Text.Length);
    }

    [TestMethod]
    public void Answer_TailorsRirAdvice_ForBeginners()
    {
        var beginner = answerer.Answer("what is rpe?", "beginner");
        var advanced = answerer.Answer("what is rpe?", "advanced");

        StringAssert.Contains(beginner.Text, "RIR 2–4");
        Assert.IsFalse(advanced.Text.Contains("As a beginner", StringComparison.Ordinal));
    }

    [TestMethod]
    public void Answer_PointsToWhatItCanDo_WhenItDoesNotUnderstand()
    {
        var answer = answerer.Answer("What's the weather like tomorrow?");

        Assert.AreEqual("unknown", answer.Intent);
        StringAssert.Contains(answer.Text, "rest times");
    }

    [TestMethod]
    public void Answer_IsDeterministic()
    {
        var first = answerer.Answer("how should I progress my bench press?");
        var second = answerer.Answer("how should I progress my bench press?");

        Assert.AreEqual(first, second);
    }
}
