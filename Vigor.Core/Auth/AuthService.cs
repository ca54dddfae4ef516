using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Infrastructure.Telemetry;

namespace Vigor.Core.Auth;

internal sealed class AuthService(
    UserRepository users,
    RefreshTokenRepository refreshTokens,
    AccessTokenService accessTokens,
    LoginThrottle throttle,
    IPasswordHasher<UserRow> hasher,
    IOptions<AuthOptions> options,
    TimeProvider time,
    VigorMetrics metrics)
{
    public const int MinimumAge = 16;
    public const int AdultAge = 18;

    // Verified against when the email is unknown, so both failures cost the same time.
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<UserRow>().HashPassword(null!, "not-a-real-password-0"));

    public async Task<Outcome<AuthResponse>> RegisterAsync(RegisterRequest request, CancellationToken ct)
    {
        var year = time.GetUtcNow().Year;
        var errors = new FieldErrors();
        var email = request.Email?.Trim();
        errors.Check(email is { Length: > 0 and <= 254 } && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email && email.Split('@')[1].Contains('.', StringComparison.Ordinal),
            "email", "must be a valid email address.");
        if (request.Password is null)
            errors.Add("password", "is required.");
        else if (PasswordPolicy.Check(request.Password, email) is { } passwordProblem)
            errors.Add("password", passwordProblem);
        errors.Text(request.DisplayName, "displayName", 60);
        errors.Range(request.BirthYear, year - 120, year, "birthYear", required: true);
        if (errors.IsEmpty && year - request.BirthYear!.Value < MinimumAge)
            errors.Add("birthYear", $"Vigor is for people aged {MinimumAge} and over.");
        if (!errors.IsEmpty)
            return errors.ToProblem();

        var row = new UserRow(Guid.CreateVersion7(), email!, UserRepository.Normalize(email!), "", request.DisplayName?.Trim(),
            request.BirthYear!.Value, year - request.BirthYear.Value < AdultAge, Roles.User, "free", "active", time.GetUtcNow().UtcDateTime);
        row = row with { PasswordHash = hasher.HashPassword(row, request.Password!) };
        var created = await users.CreateAsync(row, ct);
        if (created is null)
            return Problems.Create(409, "email_taken", "That email is already registered.", "Log in instead, or use another email.");
        return await IssueAsync(created, ct);
    }

    public async Task<Outcome<AuthResponse>> LoginAsync(LoginRequest request, string clientAddress, CancellationToken ct)
    {
        var outcome = await AttemptLoginAsync(request, clientAddress, ct);
        metrics.RecordLogin(outcome.IsSuccess ? LoginOutcome.Success
            : outcome.Problem!.StatusCode == 429 ? LoginOutcome.Throttled : LoginOutcome.Failure);
        return outcome;
    }

    private async Task<Outcome<AuthResponse>> AttemptLoginAsync(LoginRequest request, string clientAddress, CancellationToken ct)
    {
        var limits = options.Value.Throttle;
        var client = await throttle.HitAsync("client:" + clientAddress, TimeSpan.FromMinutes(1), ct);
        if (client.Attempts > limits.PerClientPerMinute)
            return Problems.TooManyRequests(client.RetryAfter, "Too many login attempts from this client; wait and try again.");
        if (string.IsNullOrEmpty(request.Email) || string.IsNullOrEmpty(request.Password) || request.Email.Length > 254 || request.Password.Length > PasswordPolicy.MaxLength)
            return InvalidCredentials();

        var accountKey = "account:" + UserRepository.Normalize(request.Email);
        var account = await throttle.PeekAsync(accountKey, limits.AccountWindow, ct);
        if (account.Attempts >= limits.AccountFailures)
            return Problems.TooManyRequests(account.RetryAfter, "Too many failed logins for this account; wait and try again.");

        var user = await users.FindByEmailAsync(request.Email, ct);
        var verdict = hasher.VerifyHashedPassword(user!, user?.PasswordHash ?? DummyHash.Value, request.Password);
        if (user is null || verdict == PasswordVerificationResult.Failed || user.Status != "active")
        {
            await throttle.HitAsync(accountKey, limits.AccountWindow, ct);
            return InvalidCredentials();
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            await users.UpdatePasswordHashAsync(user.Id, hasher.HashPassword(user, request.Password), ct);
        if (account.Attempts > 0)
            await throttle.ResetAsync(accountKey, ct);
        return await IssueAsync(user, ct);
    }

    public async Task<Outcome<AuthResponse>> RefreshAsync(RefreshRequest request, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.RefreshToken) || request.RefreshToken.Length > 128)
            return Problems.Unauthorized("The refresh token is invalid, expired or revoked.");
        var rotated = await refreshTokens.RotateAsync(request.RefreshToken, options.Value.RefreshTokenLifetime, ct);
        if (rotated is not { } next)
            return Problems.Unauthorized("The refresh token is invalid, expired or revoked.");
        var user = await users.GetAsync(next.UserId, ct);
        if (user is null || user.Status != "active")
            return Problems.Unauthorized("The refresh token is invalid, expired or revoked.");
        var (access, expiresIn) = await accessTokens.IssueAsync(user.Id, user.Role, ct);
        return new AuthResponse(user.ToSummary(), access, next.Token, expiresIn);
    }

    public async Task LogoutAsync(RefreshRequest request, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(request.RefreshToken) && request.RefreshToken.Length <= 128)
            await refreshTokens.RevokeFamilyAsync(request.RefreshToken, "logout", ct);
    }

    private async Task<Outcome<AuthResponse>> IssueAsync(UserRow user, CancellationToken ct)
    {
        var (access, expiresIn) = await accessTokens.IssueAsync(user.Id, user.Role, ct);
        var refresh = await refreshTokens.StartFamilyAsync(user.Id, options.Value.RefreshTokenLifetime, ct);
        return new AuthResponse(user.ToSummary(), access, refresh, expiresIn);
    }

    private static ProblemResult InvalidCredentials()
        => Problems.Create(401, "invalid_credentials", "Email or password is incorrect.");
}
