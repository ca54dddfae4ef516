using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Vigor.Core.Health;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Health;

internal sealed class HealthApi(HealthService health)
{
    public sealed record Liveness(string Status);

    [Function(nameof(GetHealth)), Anonymous]
    [ApiDoc("Health", "Liveness: the process answers", Response = typeof(Liveness))]
    public IResult GetHealth([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest req)
        => TypedResults.Ok(new Liveness("ok"));

    [Function(nameof(GetReadiness)), Anonymous]
    [ApiDoc("Health", "Readiness: PostgreSQL, Table Storage and Durable each answer (503 when one does not)", Response = typeof(ReadinessReport), Errors = [503])]
    public async Task<IResult> GetReadiness(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health/ready")] HttpRequest req,
        [DurableClient] DurableTaskClient durable,
        CancellationToken ct)
    {
        var report = await health.CheckAsync(durable, ct);
        return report.Status == "healthy" ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
