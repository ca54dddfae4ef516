namespace Vigor.Core.Infrastructure.Secrets;

/// <summary>
/// Where secrets live: Key Vault in Azure, configuration locally. Names use Key Vault's alphabet
/// (letters, digits, dashes), e.g. <c>jwt-signing-keys</c>. Values are cached by the implementation.
/// </summary>
public interface ISecretStore
{
    /// <summary>The secret's current value, or null when it does not exist.</summary>
    ValueTask<string?> GetAsync(string name, CancellationToken ct);

    Task SetAsync(string name, string value, CancellationToken ct);
}

public static class SecretStoreExtensions
{
    public static async ValueTask<string> GetRequiredAsync(this ISecretStore store, string name, CancellationToken ct)
        => await store.GetAsync(name, ct)
           ?? throw new InvalidOperationException($"Required secret '{name}' is missing from the secret store ({store.GetType().Name}).");
}

public static class SecretNames
{
    public const string JwtSigningKeys = "jwt-signing-keys";
    public const string AdminPassword = "admin-password";
}
