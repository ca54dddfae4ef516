namespace Vigor.Core.Exercises;

/// <summary>The query string of <c>GET exercises</c> as sent: the service validates every part.</summary>
internal sealed record ExerciseQuery(string? Muscle, string? Equipment, string? Level, string? Q, string? Limit, string? Cursor);
