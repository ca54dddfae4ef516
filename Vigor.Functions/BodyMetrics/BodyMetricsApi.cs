using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Auth;
using Vigor.Core.BodyMetrics;
using Vigor.Core.Infrastructure.Http;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.BodyMetrics;

internal sealed class BodyMetricsApi(BodyMetricService metrics, TimeProvider time)
{
    [Function(nameof(RecordBodyMetric))]
    [ApiDoc("Training", "Record weight (kg), body fat (%) and/or waist (cm); measuredAt defaults to now",
        Request = typeof(BodyMetricRequest), Response = typeof(BodyMetricView), Status = 201, Errors = [400, 413, 415])]
    public async Task<IResult> RecordBodyMetric([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/body-metrics")] HttpRequest req, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<BodyMetricRequest>(req, ct, maxBytes: 4 * 1024);
        if (problem is not null)
            return problem;
        return (await metrics.RecordAsync(req.GetCaller().UserId, body!, ct)).ToResult(m => TypedResults.Created((string?)null, m));
    }

    [Function(nameof(ListBodyMetrics))]
    [ApiDoc("Training", "The caller's measurements in a time range, newest first", Response = typeof(Page<BodyMetricView>), Errors = [400])]
    [ApiQuery("from", "string", "ISO-8601 date or UTC time (default: 30 days before `to`)")]
    [ApiQuery("to", "string", "ISO-8601 date (inclusive) or UTC time (default: now); at most 366 days after `from`")]
    [ApiQuery("limit", "integer", "Page size, 1-100 (default 20)")]
    [ApiQuery("cursor", "string", "The nextCursor of the previous page")]
    public async Task<IResult> ListBodyMetrics([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/body-metrics")] HttpRequest req, CancellationToken ct)
    {
        var range = DateRange.Read(req.Query, time.GetUtcNow());
        if (range.Problem is not null)
            return range.Problem;
        var paging = Paging.Read(req.Query);
        if (paging.Problem is not null)
            return paging.Problem;
        return TypedResults.Ok(await metrics.ListAsync(req.GetCaller().UserId, range.Value, paging.Value, ct));
    }
}
