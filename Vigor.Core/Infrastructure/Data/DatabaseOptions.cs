using System.ComponentModel.DataAnnotations;

namespace Vigor.Core.Infrastructure.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    [Required(ErrorMessage = "Setting 'Database:ConnectionString' (env Database__ConnectionString) is required: the PostgreSQL connection string.")]
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending migrations when the host starts (on in every environment; they are idempotent and locked).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// Azure Database for PostgreSQL with Entra ID: the password is an access token of the app's managed identity
    /// (DefaultAzureCredential, so AZURE_CLIENT_ID picks the user-assigned one), refreshed before it expires.
    /// </summary>
    public bool UseManagedIdentity { get; set; }

    /// <summary>Npgsql multiplexing for the main data source (on by default: it carries the hot request path).</summary>
    public bool Multiplexing { get; set; } = true;
}
