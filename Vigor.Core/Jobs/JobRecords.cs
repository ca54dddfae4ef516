using System.Text.Json;
using System.Text.Json.Serialization;
using Vigor.Core.Llm.Gateway;

namespace Vigor.Core.Jobs;

public static class JobStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>What <c>GET jobs/{id}</c> answers: never Durable's own management payload.</summary>
public sealed record JobView(string Id, string Kind, string Status, JsonElement? Result, string? Error, DateTime CreatedAt)
{
    /// <summary>
    /// An AI job's output as this process built it, when the job finished here (<see cref="Result"/> is then null): the
    /// answer is written from it, not from its stored form read back.
    /// </summary>
    [JsonIgnore]
    internal LlmJobOutput? Output { get; init; }
}

/// <summary>The answer to an AI request: done within the wait (200 with the result) or still running (202 with the job).</summary>
public sealed record JobStart(JobView Job, bool Finished);

/// <summary>The body of a 202: poll <c>GET /api/jobs/{jobId}</c> (also in the Location header).</summary>
public sealed record JobAccepted(string JobId, string Status);
