namespace Vigor.Core.Jobs;

public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>How long an AI request waits for its orchestration before answering 202 with the job to poll.</summary>
    public TimeSpan Wait { get; set; } = TimeSpan.FromSeconds(8);
}
