using System.Text.RegularExpressions;

namespace Vigor.Core.Coach.Safety;

public sealed record SafetyVerdict(string Category, string Reply);

/// <summary>
/// The pre-filter of fitness-science.md §5: messages about emergencies, self-harm, eating disorders, drugs,
/// pregnancy, injury, diagnosis and (for minors) weight loss or max testing get a fixed, safe answer before any
/// model sees them. Categories are checked in order of urgency; the first match answers. Each pattern sees the
/// normalised message and its decoded reading (<see cref="SafetyText"/>), so "ignore your rules" wrapped around an
/// obfuscated request still lands in the category of the request.
/// </summary>
public static class SafetyFilter
{
    private static readonly (string Category, Regex Pattern, string Reply)[] Rules =
    [
        ("emergency", SafetyPatterns.Emergency(), SafetyReplies.Emergency),
        ("crisis", SafetyPatterns.Crisis(), SafetyReplies.Crisis),
        ("eating_disorder", SafetyPatterns.EatingDisorder(), SafetyReplies.EatingDisorder),
        ("drugs", SafetyPatterns.Drugs(), SafetyReplies.Drugs),
        ("pregnancy", SafetyPatterns.Pregnancy(), SafetyReplies.Pregnancy),
        ("injury", SafetyPatterns.Injury(), SafetyReplies.Injury),
        ("diagnosis", SafetyPatterns.Diagnosis(), SafetyReplies.Diagnosis),
    ];

    public static SafetyVerdict? Check(string message, bool isMinor)
    {
        var readings = SafetyText.Readings(message);
        foreach (var (category, pattern, reply) in Rules)
        {
            if (readings.Any(pattern.IsMatch))
                return new SafetyVerdict(category, reply);
        }
        var minor = isMinor || readings.Any(SafetyPatterns.StatedMinorAge().IsMatch);
        return minor && readings.Any(SafetyPatterns.MinorRestricted().IsMatch) ? new SafetyVerdict("minor", SafetyReplies.Minor) : null;
    }

    /// <summary>The post-filter: a model's reply must not diagnose, dose, prescribe starvation or coach a minor to lose weight.</summary>
    public static bool ReplyIsSafe(string reply, bool isMinor)
    {
        var text = SafetyText.Normalise(reply);
        return !ReplyPatterns.Unsafe().IsMatch(text) && !(isMinor && SafetyPatterns.MinorRestricted().IsMatch(text));
    }
}
