using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Vigor.Core.Coach.Safety;

/// <summary>
/// Puts text into the form the safety patterns are written against: lower case, plain letters, straight apostrophes,
/// ASCII hyphens, single spaces. Red-team prompts also hide trigger words behind zero-width characters, fullwidth or
/// accented letters, dotted or spaced letters and digits for letters ("D.N.P", "s t e r o i d s", "st3r0ids"), so
/// <see cref="Readings"/> gives the filter a decoded reading as well as the plain one.
/// </summary>
internal static partial class SafetyText
{
    // Accented Latin letters, then Cyrillic and Greek letters that look like Latin ones ("stеroids" with a Cyrillic е).
    private const string OtherLetters = "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿаеорсхуіѕјοαρτνκι";
    private const string LatinLetters = "aaaaaaceeeeiiiinoooooouuuuyyaeopcxyisjoaptvki";
    private const string LeetSymbols = "013457@$";
    private const string LeetLetters = "oieastas";

    public static IReadOnlyList<string> Readings(string text)
    {
        var plain = Normalise(text);
        var decoded = Decode(plain);
        return decoded == plain ? [plain] : [plain, decoded];
    }

    public static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.NonSpacingMark or UnicodeCategory.Format:
                    break; // combining accents, zero-width and direction marks, soft hyphens
                case UnicodeCategory.DashPunctuation:
                    builder.Append('-');
                    break;
                default:
                    builder.Append(Plain(char.ToLowerInvariant(c)));
                    break;
            }
        }
        return Whitespace().Replace(builder.ToString(), " ").Trim();
    }

    // Mapped by hand: string.Normalize leaves these alone under InvariantGlobalization (Directory.Build.props).
    private static char Plain(char c)
    {
        if (c is >= '\uFF01' and <= '\uFF5E')
            return (char)(c - 0xFEE0); // fullwidth ASCII
        if (c is '\u2018' or '\u2019' or '\u02BC' or '`')
            return '\'';
        var at = OtherLetters.IndexOf(c, StringComparison.Ordinal);
        return at >= 0 ? LatinLetters[at] : c;
    }

    /// <summary>Joins dotted and spaced-out letters and reads look-alike digits and symbols as letters in words.</summary>
    public static string Decode(string normalised)
    {
        var text = LetterSeparators().Replace(normalised, "");
        text = SpacedLetters().Replace(text, m => m.Value.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal));
        return Word().Replace(text, m => m.Value.Count(char.IsAsciiLetter) >= 2 ? Unleet(m.Value) : m.Value);
    }

    private static string Unleet(string word)
    {
        var letters = word.ToCharArray();
        for (var i = 0; i < letters.Length; i++)
        {
            var at = LeetSymbols.IndexOf(letters[i], StringComparison.Ordinal);
            if (at >= 0)
                letters[i] = LeetLetters[at];
        }
        return new string(letters);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    // "s.a.r.m.s", "ste*roids": dots, stars, underscores and bars between letters.
    [GeneratedRegex(@"(?<=[a-z])[.*_|]+(?=[a-z])")]
    private static partial Regex LetterSeparators();

    // "s t e r o i d s", "d-n-p": three or more single letters in a row.
    [GeneratedRegex(@"(?<![a-z'])[a-z](?:[ -][a-z](?![a-z])){2,}")]
    private static partial Regex SpacedLetters();

    [GeneratedRegex(@"[a-z0-9@$]+")]
    private static partial Regex Word();
}
