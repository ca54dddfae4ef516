using Vigor.Core.Exercises;

namespace Vigor.Core.Workouts.Validation;

/// <summary>Runs every check of fitness-science §3.9 (V1–V12) plus the structural V0 on a plan.</summary>
internal sealed class PlanValidator(ExerciseCatalogue catalogue)
{
    private static readonly IPlanCheck[] Checks =
    [
        new StructureCheck(), new FrequencyCheck(), new VolumeCheck(), new RecoveryCheck(), new GoalPrescriptionCheck(),
        new SessionSizeCheck(), new LoadProgressionCheck(), new VolumeRampCheck(), new EffortCheck(), new EquipmentCheck(),
        new LevelCheck(), new MedicalCheck(), new BalanceCheck(),
    ];

    public PlanValidation Validate(Plan plan, PlanContext context)
    {
        var review = new PlanReview(plan, context, catalogue);
        return new PlanValidation(Checks.SelectMany(check => check.Check(review)).ToList());
    }
}
