namespace Vigor.Core.Llm.Providers;

internal static class LlmHttp
{
    /// <summary>The named IHttpClientFactory client every provider SDK sends through (pooled handler + <see cref="GuardedHttpHandler"/>).</summary>
    public const string ClientName = "vigor-llm";

    /// <summary>
    /// What the SDKs' own timers are set to: far above any attempt timeout, so that ours (per config, in
    /// <see cref="GuardedCall"/> and the handler) always fires first and is classified.
    /// </summary>
    public static readonly TimeSpan SdkTimeout = TimeSpan.FromMinutes(30);
}
