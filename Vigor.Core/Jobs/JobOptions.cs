namespace Vigor.Core.Jobs;

public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>How long an AI request waits (its inline run, then its orchestration if handed over) before answering 202 with the job to poll.</summary>
    public TimeSpan Wait { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// At most this many handed-over (Durable) jobs of this instance in flight at once (null: no limit, the Functions host's Durable
    /// concurrency settings in host.json govern). The local host sets it because its in-process Durable backend
    /// runs at most 10 work items at once and sleeps 500 ms whenever that is reached; admitting fewer jobs keeps
    /// it below the cap, so a burst queues here in arrival order instead of stalling there. A job that cannot be
    /// admitted within <see cref="Wait"/> is still started, and answered 202.
    /// </summary>
    public int? MaxInFlight { get; set; }

    /// <summary>
    /// The longest an AI request runs inline before it is given up there and handed to the orchestrator: above any
    /// provider's timeout and retries, below <see cref="RecoverAfter"/>.
    /// </summary>
    public TimeSpan InlineLimit { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>An inline AI request that has neither finished nor been handed over after this long lost its instance: recovery hands it over.</summary>
    public TimeSpan RecoverAfter { get; set; } = TimeSpan.FromMinutes(5);
}
