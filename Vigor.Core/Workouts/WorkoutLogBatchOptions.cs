using System.ComponentModel.DataAnnotations;

namespace Vigor.Core.Workouts;

/// <summary>How <see cref="WorkoutLogBatcher"/> groups concurrent <c>POST workouts/logs</c> into one round trip.</summary>
public sealed class WorkoutLogBatchOptions
{
    public const string Section = "Workouts:LogBatch";

    /// <summary>Group the logs of different users that arrive while earlier ones are being stored; false stores each on its own.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>At most this many logs in one batch.</summary>
    [Range(1, 500)]
    public int MaxLogs { get; set; } = 64;

    /// <summary>
    /// At most this many batches of this instance in flight at once; the logs that arrive meanwhile wait for the next. Two keep
    /// PostgreSQL busy while the host prepares or answers the other (bench/README.md: 1 left the 2-core machine partly idle).
    /// </summary>
    [Range(1, 64)]
    public int MaxInFlight { get; set; } = 2;
}
