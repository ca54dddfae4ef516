using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.Tokens;
using Vigor.Core.Infrastructure.Secrets;

namespace Vigor.Core.Auth;

/// <summary>
/// The JWT signing keys from the secret <c>jwt-signing-keys</c>:
/// <c>{"activeKid":"k2","keys":[{"kid":"k2","privateKeyPem":"..."},{"kid":"k1","privateKeyPem":"..."}]}</c>.
/// The active key signs; every listed key validates, so a rotated-out key keeps working until it is removed.
/// Only P-256 keys (ES256) are accepted.
/// </summary>
internal sealed partial class SigningKeyRing(ISecretStore secrets)
{
    public sealed record Snapshot(string Raw, SigningCredentials Signing, IReadOnlyList<SecurityKey> ValidationKeys);

    private Snapshot? current;

    public async ValueTask<Snapshot> GetAsync(CancellationToken ct)
    {
        var raw = await secrets.GetRequiredAsync(SecretNames.JwtSigningKeys, ct);
        var snapshot = current;
        if (snapshot is not null && string.Equals(snapshot.Raw, raw, StringComparison.Ordinal))
            return snapshot;
        snapshot = Parse(raw);
        current = snapshot;
        return snapshot;
    }

    public static Snapshot Parse(string raw)
    {
        KeySet? set;
        try
        {
            set = JsonSerializer.Deserialize<KeySet>(raw, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"Secret '{SecretNames.JwtSigningKeys}' is not valid JSON: {e.Message}");
        }
        if (set?.Keys is not { Count: > 0 })
            throw new InvalidOperationException($"Secret '{SecretNames.JwtSigningKeys}' lists no keys.");

        var keys = new List<SecurityKey>();
        foreach (var entry in set.Keys)
        {
            if (entry.Kid is null || !KidPattern().IsMatch(entry.Kid))
                throw new InvalidOperationException($"Secret '{SecretNames.JwtSigningKeys}': every key needs a kid of 1-64 letters, digits, '.', '_' or '-'.");
            var ecdsa = ECDsa.Create();
            try
            {
                ecdsa.ImportFromPem(entry.PrivateKeyPem);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw new InvalidOperationException($"Secret '{SecretNames.JwtSigningKeys}': key '{entry.Kid}' is not a PEM EC private key.", e);
            }
            if (ecdsa.KeySize != 256)
                throw new InvalidOperationException($"Secret '{SecretNames.JwtSigningKeys}': key '{entry.Kid}' must be a P-256 key for ES256.");
            keys.Add(new ECDsaSecurityKey(ecdsa) { KeyId = entry.Kid });
        }
        var active = keys.FirstOrDefault(k => k.KeyId == (set.ActiveKid ?? set.Keys[0].Kid))
                     ?? throw new InvalidOperationException($"Secret '{SecretNames.JwtSigningKeys}': activeKid '{set.ActiveKid}' is not among the keys.");
        return new Snapshot(raw, new SigningCredentials(active, SecurityAlgorithms.EcdsaSha256), keys);
    }

    /// <summary>Builds the secret's JSON for a set of keys; used by tests and tooling.</summary>
    public static string Serialize(string activeKid, IEnumerable<(string Kid, ECDsa Key)> keys)
        => JsonSerializer.Serialize(new
        {
            activeKid,
            keys = keys.Select(k => new { kid = k.Kid, privateKeyPem = k.Key.ExportPkcs8PrivateKeyPem() }),
        });

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KidPattern();

    private sealed record KeySet(string? ActiveKid, List<KeyEntry>? Keys);

    private sealed record KeyEntry(string? Kid, string PrivateKeyPem);
}
