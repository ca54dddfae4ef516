using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Coach.Offline;
using Vigor.Core.Exercises;
using Vigor.Core.Progress;
using Vigor.Core.Workouts.Validation;

namespace Vigor.Core.Workouts;

/// <summary>The training domain's pure services; all stateless singletons over the embedded catalogue.</summary>
internal static class TrainingRegistration
{
    public static IServiceCollection AddVigorTraining(this IServiceCollection services)
    {
        services.AddSingleton(_ => ExerciseCatalogue.Default);
        services.AddSingleton<PlanValidator>();
        services.AddSingleton<OfflinePlanGenerator>();
        services.AddSingleton<OfflineCoachAnswerer>();
        services.AddSingleton<ProgressCalculator>();
        return services;
    }
}
