using Microsoft.Extensions.Options;
using Vigor.Core.Infrastructure.Caching;

namespace Vigor.Core.Progress;

public sealed class ProgressOptions
{
    public const string Section = "Progress";

    /// <summary>Keep computed progress per user and window until their training data changes (ProgressCache); false computes every request.</summary>
    public bool Cache { get; set; } = true;
}

/// <summary>
/// Each user's computed <c>GET progress</c> per window length, exact (<see cref="ExactUserCache{T}"/>): logging or deleting
/// a session, changing the profile or deleting a plan invalidates in process, and the triggers of migration 0013 notify
/// <see cref="TrainingChannel"/> at commit for changes made anywhere. A summary is right from the moment it was computed
/// for until the next UTC midnight (streaks, weeks) or the user's next future-dated session, whichever comes first.
/// </summary>
internal sealed class ProgressCache(TimeProvider time, IOptions<ProgressOptions> options)
    : ExactUserCache<ProgressSummary>(time, TrainingChannel, options.Value.Cache, TimeSpan.FromMinutes(10), maxUsers: 20_000)
{
    public const string TrainingChannel = "vigor_user_training";
}
