using System.ComponentModel.DataAnnotations;

namespace Vigor.Core.Auth;

public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    [Required(ErrorMessage = "Setting 'Auth:Issuer' (env Auth__Issuer) is required: the access tokens' issuer, e.g. https://api.vigor.app.")]
    public string Issuer { get; set; } = "";

    [Required(ErrorMessage = "Setting 'Auth:Audience' (env Auth__Audience) is required: the access tokens' audience, e.g. vigor-app.")]
    public string Audience { get; set; } = "";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Set explicitly: the library default of 5 minutes is far longer than a short-lived token deserves.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public ThrottleOptions Throttle { get; set; } = new();

    /// <summary>Cache users' role and status between requests, invalidated by PostgreSQL notifications (AuthStateCache); false reads them on every request.</summary>
    public bool StateCache { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AccessTokenLifetime < TimeSpan.FromMinutes(1) || AccessTokenLifetime > TimeSpan.FromHours(1))
            yield return new ValidationResult("Setting 'Auth:AccessTokenLifetime' must be between 00:01:00 and 01:00:00.", [nameof(AccessTokenLifetime)]);
        if (RefreshTokenLifetime < TimeSpan.FromHours(1) || RefreshTokenLifetime > TimeSpan.FromDays(365))
            yield return new ValidationResult("Setting 'Auth:RefreshTokenLifetime' must be between 01:00:00 and 365.00:00:00.", [nameof(RefreshTokenLifetime)]);
        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(2))
            yield return new ValidationResult("Setting 'Auth:ClockSkew' must be between 0 and 00:02:00.", [nameof(ClockSkew)]);
        if (Throttle.PerClientPerMinute < 1 || Throttle.AccountFailures < 1 || Throttle.AccountWindow <= TimeSpan.Zero)
            yield return new ValidationResult("Settings under 'Auth:Throttle' must be positive.", [nameof(Throttle)]);
    }
}

public sealed class ThrottleOptions
{
    /// <summary>Login attempts one client address may make per minute, successful or not.</summary>
    public int PerClientPerMinute { get; set; } = 20;

    /// <summary>Failed logins on one account within <see cref="AccountWindow"/> before it is locked for the rest of the window.</summary>
    public int AccountFailures { get; set; } = 5;

    public TimeSpan AccountWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A header set by a trusted front end that carries the client address (e.g. X-Forwarded-For); empty uses the socket address.</summary>
    public string? ClientAddressHeader { get; set; }
}

public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>The admin account seeded at startup; its password is the secret <c>admin-password</c>. Empty: no seeding.</summary>
    public string? Email { get; set; }
}
