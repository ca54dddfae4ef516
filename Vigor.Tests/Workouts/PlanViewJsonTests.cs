using System.Text.Json;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Validation;
using static Vigor.Tests.Workouts.PlanFixtures;

namespace Vigor.Tests.Workouts;

/// <summary>
/// A remembered plan's answer is written from its days and findings serialised once (PlanRepository.ViewElement): it must
/// be the very JSON the serializer writes for the plan, whatever the plan holds.
/// </summary>
[TestClass]
public sealed class PlanViewJsonTests
{
    private static void AssertSameAsTheSerializer(PlanView view)
    {
        var expected = JsonSerializer.Serialize(view, VigorJson.Options);
        var validation = new PlanValidation(view.Findings);
        var plan = new Plan(view.Name, view.Goal, view.Days);

        var written = PlanRepository.ViewElement(view, PlanRepository.DaysJson(plan), PlanRepository.FindingsJson(validation));

        Assert.AreEqual(expected, written.GetRawText());
        Assert.AreEqual(expected, JsonSerializer.Serialize(written, VigorJson.Options), "as the response writes it");
    }

    [TestMethod]
    public void ViewElement_APlanWithFindings_IsWhatTheSerializerWrites()
    {
        var days = new[] { FullBodyDay(), FullBodyDay() }.Select((d, i) => new PlanDay($"Day {i + 1} <upper> & \"lower\" – Ünterkörper", d)).ToList();
        PlanFinding[] findings =
        [
            new("V3", FindingSeverity.Warning, "Rest under 60 s for a compound lift's heavy sets: 'back squat'.", "days[0].exercises[0]"),
            new("V7", FindingSeverity.Error, "Too many hard sets for a beginner <12>.", null),
        ];
        var view = new PlanView(Guid.CreateVersion7(), "Strength – 3 days 💪", "strength", "cache", days, findings, true,
            new DateTime(2026, 11, 28, 3, 4, 5, 123, DateTimeKind.Utc).AddTicks(4567));

        AssertSameAsTheSerializer(view);
    }

    [TestMethod]
    public void ViewElement_NoFindings_NullGoal_WholeSecond_IsWhatTheSerializerWrites()
    {
        var days = new List<PlanDay> { new("Day 1", FullBodyDay()) };
        var view = new PlanView(Guid.NewGuid(), "Plan", null!, "fake-openai", days, [], false, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));

        AssertSameAsTheSerializer(view);
    }
}
