using System.ComponentModel.DataAnnotations;

namespace Vigor.Core.Infrastructure.Secrets;

public sealed class SecretsOptions : IValidatableObject
{
    public const string Section = "Secrets";

    /// <summary><c>Configuration</c> (local: values under <c>Secrets:&lt;name&gt;</c>) or <c>KeyVault</c>.</summary>
    public string Provider { get; set; } = "Configuration";

    public Uri? KeyVaultUri { get; set; }

    /// <summary>How long a secret read from Key Vault is served from memory before it is read again.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Provider.Equals("Configuration", StringComparison.OrdinalIgnoreCase) && !Provider.Equals("KeyVault", StringComparison.OrdinalIgnoreCase))
            yield return new ValidationResult("Setting 'Secrets:Provider' must be 'Configuration' or 'KeyVault'.", [nameof(Provider)]);
        if (Provider.Equals("KeyVault", StringComparison.OrdinalIgnoreCase) && KeyVaultUri is null)
            yield return new ValidationResult("Setting 'Secrets:KeyVaultUri' (env Secrets__KeyVaultUri) is required when Secrets:Provider is KeyVault.", [nameof(KeyVaultUri)]);
        if (RefreshInterval <= TimeSpan.Zero)
            yield return new ValidationResult("Setting 'Secrets:RefreshInterval' must be positive.", [nameof(RefreshInterval)]);
    }
}
