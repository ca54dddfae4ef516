using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Vigor.Core.Infrastructure.Http;

public static class Problems
{
    public const string TypeBase = "https://vigor.app/problems/";

    public static ProblemResult Create(int status, string code, string title, string? detail = null, TimeSpan? retryAfter = null)
    {
        var problem = new ProblemDetails { Status = status, Type = TypeBase + code, Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        return new ProblemResult(problem, retryAfter);
    }

    public static ProblemResult Validation(IReadOnlyDictionary<string, string[]> errors, string? detail = null)
    {
        var problem = new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = StatusCodes.Status400BadRequest,
            Type = TypeBase + "validation",
            Title = "The request has invalid fields.",
            Detail = detail ?? string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
        };
        problem.Extensions["code"] = "validation";
        return new ProblemResult(problem);
    }

    public static ProblemResult Validation(string field, string message) => Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemResult NotFound(string what = "resource") => Create(404, "not_found", "Not found.", $"No {what} with that id exists.");

    public static ProblemResult Unauthorized(string detail = "A valid access token is required.") => Create(401, "unauthorized", "Unauthorized.", detail);

    public static ProblemResult Forbidden(string detail = "You do not have access to this resource.") => Create(403, "forbidden", "Forbidden.", detail);

    public static ProblemResult TooManyRequests(TimeSpan retryAfter, string detail) => Create(429, "too_many_requests", "Too many requests.", detail, retryAfter);

    public static ProblemResult Internal() => Create(500, "internal_error", "Something went wrong on our side.", "The error was logged; quote the correlation id when reporting it.");
}
