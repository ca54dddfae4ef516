using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.BodyMetrics;
using Vigor.Core.Coach.Offline;
using Vigor.Core.Exercises;
using Vigor.Core.Progress;
using Vigor.Core.Workouts.Validation;

namespace Vigor.Core.Workouts;

/// <summary>The training domain: pure services over the embedded catalogue, and the repositories and services of its API.</summary>
internal static class TrainingRegistration
{
    public static IServiceCollection AddVigorTraining(this IServiceCollection services)
    {
        services.AddSingleton(_ => ExerciseCatalogue.Default);
        services.AddSingleton<PlanValidator>();
        services.AddSingleton<OfflinePlanGenerator>();
        services.AddSingleton<OfflineCoachAnswerer>();
        services.AddSingleton<ProgressCalculator>();

        services.AddSingleton<CatalogueSeeder>();
        services.AddSingleton<ExerciseService>();
        services.AddSingleton<PlanRepository>();
        services.AddSingleton<PlanService>();
        services.AddSingleton<WorkoutLogRepository>();
        services.AddSingleton<WorkoutLogBatcher>();
        services.AddOptions<WorkoutLogBatchOptions>().BindConfiguration(WorkoutLogBatchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WorkoutLogService>();
        services.AddSingleton<ProgressRepository>();
        services.AddSingleton<ProgressService>();
        services.AddOptions<ProgressOptions>().BindConfiguration(ProgressOptions.Section);
        services.AddSingleton<ProgressCache>();
        services.AddSingleton<Infrastructure.Caching.IChangeSubscriber>(sp => sp.GetRequiredService<ProgressCache>());
        services.AddSingleton<BodyMetricRepository>();
        services.AddSingleton<BodyMetricService>();
        return services;
    }
}
