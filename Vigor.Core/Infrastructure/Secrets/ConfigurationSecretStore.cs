using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;

namespace Vigor.Core.Infrastructure.Secrets;

/// <summary>Local runs and tests: secrets are configuration values under <c>Secrets:&lt;name&gt;</c>; writes stay in memory.</summary>
internal sealed class ConfigurationSecretStore(IConfiguration configuration) : ISecretStore
{
    private readonly ConcurrentDictionary<string, string> written = new(StringComparer.Ordinal);

    public ValueTask<string?> GetAsync(string name, CancellationToken ct)
        => ValueTask.FromResult(written.TryGetValue(name, out var value) ? value : configuration[$"{SecretsOptions.Section}:{name}"]);

    public Task SetAsync(string name, string value, CancellationToken ct)
    {
        written[name] = value;
        return Task.CompletedTask;
    }
}
