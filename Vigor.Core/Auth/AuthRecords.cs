namespace Vigor.Core.Auth;

public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName, int? BirthYear);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record UserSummary(Guid Id, string Email, string? DisplayName, string Role, string Tier, bool IsMinor, DateTime CreatedAt);

public sealed record AuthResponse(UserSummary User, string AccessToken, string RefreshToken, int ExpiresIn, string TokenType = "Bearer");

/// <summary>A row of <c>users</c>.</summary>
internal sealed record UserRow(
    Guid Id, string Email, string EmailNormalized, string PasswordHash, string? DisplayName, int BirthYear,
    bool IsMinor, string Role, string Tier, string Status, DateTime CreatedAt)
{
    public UserSummary ToSummary() => new(Id, Email, DisplayName, Role, Tier, IsMinor, CreatedAt);
}
