using System.ComponentModel.DataAnnotations;

namespace Vigor.Core.Infrastructure.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    [Required(ErrorMessage = "Setting 'Database:ConnectionString' (env Database__ConnectionString) is required: the PostgreSQL connection string.")]
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply pending migrations when the host starts (on in every environment; they are idempotent and locked).</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
