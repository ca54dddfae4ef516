namespace Vigor.Core.Infrastructure.Telemetry;

public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Set by the platform in Azure (and by infra-bicep); empty: nothing is exported to Azure Monitor.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary><c>ClientId=&lt;id&gt;;Authorization=AAD</c>: the exporter signs in with that managed identity (Entra-only ingestion).</summary>
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>Local runs: print metrics and traces to the console.</summary>
    public bool Console { get; set; }

    /// <summary>
    /// Share of traces kept (0-1) with ratio sampling instead of the exporter's default sampling; unset: the exporter's
    /// default. 1 keeps every trace (tests that look for one request among the start-up's storage calls).
    /// </summary>
    public float? SamplingRatio { get; set; }
}
