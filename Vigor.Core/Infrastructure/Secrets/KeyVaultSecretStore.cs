using System.Collections.Concurrent;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Vigor.Core.Infrastructure.Secrets;

/// <summary>
/// Key Vault through <see cref="SecretClient"/>. Values are cached for <see cref="SecretsOptions.RefreshInterval"/>
/// and then read again, so a rotated secret is picked up without a restart. When a refresh fails (throttling,
/// an outage) the last good value keeps serving: Key Vault guidance is to cache and never depend on it per request.
/// </summary>
internal sealed class KeyVaultSecretStore(
    SecretClient client, IOptions<SecretsOptions> options, TimeProvider time, ILogger<KeyVaultSecretStore> logger) : ISecretStore
{
    private sealed record Entry(string? Value, DateTimeOffset FetchedAt);

    private readonly ConcurrentDictionary<string, Entry> cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new(StringComparer.Ordinal);

    public async ValueTask<string?> GetAsync(string name, CancellationToken ct)
    {
        if (cache.TryGetValue(name, out var entry) && IsFresh(entry))
            return entry.Value;

        var gate = locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (cache.TryGetValue(name, out entry) && IsFresh(entry))
                return entry.Value;
            try
            {
                var response = await client.GetSecretAsync(name, cancellationToken: ct);
                cache[name] = new Entry(response.Value.Value, time.GetUtcNow());
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                cache[name] = new Entry(null, time.GetUtcNow());
            }
            catch (Exception e) when (entry is not null && e is RequestFailedException or HttpRequestException or TimeoutException)
            {
                logger.LogWarning(e, "Refreshing secret {SecretName} from Key Vault failed; serving the cached value", name);
                cache[name] = entry with { FetchedAt = time.GetUtcNow() - options.Value.RefreshInterval + TimeSpan.FromSeconds(30) };
            }
            return cache[name].Value;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task SetAsync(string name, string value, CancellationToken ct)
    {
        await client.SetSecretAsync(name, value, ct);
        cache[name] = new Entry(value, time.GetUtcNow());
    }

    private bool IsFresh(Entry entry) => time.GetUtcNow() - entry.FetchedAt < options.Value.RefreshInterval;
}
