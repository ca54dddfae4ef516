using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Coach.Offline;
using Vigor.Core.Exercises;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Progress;
using Vigor.Core.Workouts;
using Vigor.Core.Workouts.Validation;

namespace Vigor.Tests.Workouts;

[TestClass]
public sealed class TrainingRegistrationTests
{
    [TestMethod]
    public void AddVigorTraining_RegistersEveryTrainingService()
    {
        using var provider = new ServiceCollection().AddVigorTraining().BuildServiceProvider(validateScopes: true);

        Assert.AreSame(ExerciseCatalogue.Default, provider.GetRequiredService<ExerciseCatalogue>());
        Assert.IsNotNull(provider.GetRequiredService<PlanValidator>());
        Assert.IsNotNull(provider.GetRequiredService<OfflinePlanGenerator>());
        Assert.IsNotNull(provider.GetRequiredService<OfflineCoachAnswerer>());
        Assert.IsNotNull(provider.GetRequiredService<ProgressCalculator>());
    }

    [TestMethod]
    public void Serialize_WritesCamelCaseContractShapes()
    {
        var finding = PlanFinding.Error("V9.equipment_unavailable", "needs a barbell", "days[0].exercises[1]");
        var exercise = ExerciseCatalogue.Default.Find("goblet-squat")!;

        var findingJson = JsonSerializer.Serialize(finding, VigorJson.Options);
        var exerciseJson = JsonSerializer.Serialize(exercise, VigorJson.Options);

        StringAssert.Contains(findingJson, "\"severity\":\"error\"");
        StringAssert.Contains(findingJson, "\"path\":\"days[0].exercises[1]\"");
        StringAssert.Contains(exerciseJson, "\"primaryMuscles\":[\"quads\",\"glutes\"]");
        Assert.IsFalse(exerciseJson.Contains("levelRank", StringComparison.Ordinal));
    }
}
