using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Vigor.Core.Llm.Providers;

/// <summary>
/// SDK clients are built once per provider configuration and key, not per call: they hold their pipeline and the
/// pooled <c>vigor-llm</c> HttpClient. The key is everything the client is built from, with the API key only as a
/// SHA-256 hash, so a rotated key gets a fresh client and no key sits in a dictionary key.
/// </summary>
internal sealed class ProviderClientCache<TClient>
    where TClient : class
{
    // Each key rotation or config edit leaves one stale entry behind; start over long before that matters.
    private const int MaxEntries = 256;

    private readonly ConcurrentDictionary<string, Lazy<TClient>> clients = new(StringComparer.Ordinal);

    public int Count => clients.Count;

    public TClient GetOrCreate(ProviderConfig config, string? apiKey, Func<TClient> create)
    {
        var key = Key(config, apiKey);
        if (clients.Count >= MaxEntries && !clients.ContainsKey(key))
            clients.Clear();
        var entry = clients.GetOrAdd(key, _ => new Lazy<TClient>(create, LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return entry.Value;
        }
        catch
        {
            // Lazy would remember the exception; a configuration error must not stick once it is fixed.
            clients.TryRemove(new KeyValuePair<string, Lazy<TClient>>(key, entry));
            throw;
        }
    }

    internal static string Key(ProviderConfig config, string? apiKey)
        => string.Join('|', config.Kind, config.Id, config.Endpoint, config.Model, config.ApiVersion, config.UseManagedIdentity,
            apiKey is null ? "-" : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey))));
}
