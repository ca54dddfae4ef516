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
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    private sealed record Entry(string? Value, DateTimeOffset FetchedAt);

    // Key Vault names are case-insensitive, so the cache is too.
    private readonly ConcurrentDictionary<string, Entry> cache = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new(StringComparer.OrdinalIgnoreCase);

    public async ValueTask<string?> GetAsync(string name, CancellationToken ct)
    {
        if (cache.TryGetValue(name, out var entry) && IsFresh(entry))
            return entry.Value;

        var gate = Gate(name);
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
            // Any failure counts, not only RequestFailedException: once the SDK's retries are spent on transport
            // errors or network timeouts it throws AggregateException, and a managed identity hiccup surfaces as
            // AuthenticationFailedException. Only the caller's own cancellation propagates.
            catch (Exception e) when (entry is not null && !(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                logger.LogWarning(e, "Refreshing secret {SecretName} from Key Vault failed; serving the cached value", name);
                var interval = options.Value.RefreshInterval;
                var retryIn = interval < RetryAfterFailure ? interval : RetryAfterFailure;
                cache[name] = entry with { FetchedAt = time.GetUtcNow() - interval + retryIn };
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
        // Under the same gate as a refresh, so a read that started before the write cannot land after it
        // and cache the old value for a whole interval.
        var gate = Gate(name);
        await gate.WaitAsync(ct);
        try
        {
            await client.SetSecretAsync(name, value, ct);
            cache[name] = new Entry(value, time.GetUtcNow());
        }
        finally
        {
            gate.Release();
        }
    }

    private SemaphoreSlim Gate(string name) => locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));

    private bool IsFresh(Entry entry) => time.GetUtcNow() - entry.FetchedAt < options.Value.RefreshInterval;
}
