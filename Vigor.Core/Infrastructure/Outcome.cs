using Microsoft.AspNetCore.Http;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Infrastructure;

/// <summary>What a service returns: a value, or a failure the HTTP layer turns into ProblemDetails.</summary>
public readonly struct Outcome<T>
{
    private Outcome(T? value, ProblemResult? problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }

    public ProblemResult? Problem { get; }

    public bool IsSuccess => Problem is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(ProblemResult problem) => new(default, problem);

    public IResult ToResult(Func<T, IResult> onSuccess) => Problem ?? onSuccess(Value!);
}
