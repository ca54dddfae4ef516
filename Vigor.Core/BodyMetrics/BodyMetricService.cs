using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Workouts;

namespace Vigor.Core.BodyMetrics;

/// <summary>The caller's weight, body fat and waist measurements over time.</summary>
internal sealed class BodyMetricService(BodyMetricRepository metrics, TimeProvider time)
{
    public async Task<Outcome<BodyMetricView>> RecordAsync(Guid userId, BodyMetricRequest request, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var errors = new FieldErrors();
        RecordedTime.Check(errors, request.MeasuredAt, now, "measuredAt", required: false);
        Between(errors, request.WeightKg, 20, 500, "weightKg");
        Between(errors, request.BodyFatPct, 2, 75, "bodyFatPct");
        Between(errors, request.WaistCm, 30, 300, "waistCm");
        if (request is { WeightKg: null, BodyFatPct: null, WaistCm: null })
            errors.Add("weightKg", "give at least one of weightKg, bodyFatPct and waistCm.");
        if (!errors.IsEmpty)
            return errors.ToProblem();
        return await metrics.InsertAsync(userId, RecordedTime.Normalize(request.MeasuredAt ?? now), request, ct);
    }

    public async Task<Page<BodyMetricView>> ListAsync(Guid userId, DateRange range, PageRequest page, CancellationToken ct)
        => Paging.ToPage(await metrics.ListOwnAsync(userId, range, page.After, page.Limit + 1, ct), page.Limit, m => m.Id);

    private static void Between(FieldErrors errors, double? value, int min, int max, string field)
    {
        if (value is { } v)
            errors.Check(v >= min && v <= max, field, $"must be between {min} and {max}.");
    }
}
