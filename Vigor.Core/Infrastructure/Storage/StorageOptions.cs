using System.ComponentModel.DataAnnotations;

namespace Vigor.Core.Infrastructure.Storage;

public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary>A connection string (Azurite locally). In Azure leave it empty and set AccountName: managed identity is used.</summary>
    public string? ConnectionString { get; set; }

    public string? AccountName { get; set; }

    /// <summary>Client id of the user-assigned managed identity; empty means DefaultAzureCredential's own choice.</summary>
    public string? ClientId { get; set; }

    /// <summary>Prefix for every table name, so several environments or test runs can share one account.</summary>
    public string TablePrefix { get; set; } = "vigor";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && string.IsNullOrWhiteSpace(AccountName))
            yield return new ValidationResult(
                "Setting 'Storage:ConnectionString' (env Storage__ConnectionString) or 'Storage:AccountName' (env Storage__AccountName) is required: the Table Storage account.",
                [nameof(ConnectionString), nameof(AccountName)]);
        if (!System.Text.RegularExpressions.Regex.IsMatch(TablePrefix, "^[A-Za-z][A-Za-z0-9]{0,40}$"))
            yield return new ValidationResult("Setting 'Storage:TablePrefix' must be letters and digits, starting with a letter.", [nameof(TablePrefix)]);
    }
}
