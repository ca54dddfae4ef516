namespace Vigor.Core.BodyMetrics;

/// <summary>The body of <c>POST body-metrics</c>: at least one value; measuredAt defaults to now.</summary>
internal sealed record BodyMetricRequest(DateTimeOffset? MeasuredAt = null, double? WeightKg = null, double? BodyFatPct = null, double? WaistCm = null);

/// <summary>Values are stored with two decimals, in kilograms and centimetres whatever the profile's units.</summary>
internal sealed record BodyMetricView(Guid Id, DateTimeOffset MeasuredAt, double? WeightKg, double? BodyFatPct, double? WaistCm, DateTime CreatedAt);
