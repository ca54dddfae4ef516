namespace Vigor.Core.Auth;

/// <summary>
/// NIST SP 800-63B style: length 10-128, no composition rules, refused when it is a known common password,
/// one character repeated, or built from the email or the product name.
/// </summary>
internal static class PasswordPolicy
{
    public const int MinLength = 10;
    public const int MaxLength = 128;

    private static readonly Lazy<HashSet<string>> Common = new(LoadCommon);

    public static string? Check(string password, string? email)
    {
        if (password.Length < MinLength || password.Length > MaxLength)
            return $"must be {MinLength} to {MaxLength} characters.";
        var lower = password.ToLowerInvariant();
        if (Common.Value.Contains(lower) || password.Distinct().Count() <= 2)
            return "is too common; choose a longer phrase that is not a well-known password.";
        var local = email?.Split('@')[0].ToLowerInvariant();
        if (lower.Contains("vigor", StringComparison.Ordinal) && lower.Replace("vigor", "", StringComparison.Ordinal).Length < 6
            || local is { Length: >= 4 } && lower.Contains(local, StringComparison.Ordinal) && lower.Replace(local, "", StringComparison.Ordinal).Length < 6)
            return "must not be built from your email or the app's name.";
        return null;
    }

    private static HashSet<string> LoadCommon()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream("Vigor.Core.Auth.common-passwords.txt")!;
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
                set.Add(line.Trim().ToLowerInvariant());
        }
        return set;
    }
}
