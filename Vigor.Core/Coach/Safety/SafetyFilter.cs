using System.Text.RegularExpressions;

namespace Vigor.Core.Coach.Safety;

public sealed record SafetyVerdict(string Category, string Reply);

/// <summary>
/// The pre-filter of fitness-science.md §5: messages about emergencies, self-harm, eating disorders, drugs,
/// pregnancy, injury, diagnosis and (for minors) weight loss or max testing get a fixed, safe answer before any
/// model sees them. Categories are checked in order of urgency; the first match answers.
/// </summary>
public static partial class SafetyFilter
{
    private static readonly (string Category, Regex Pattern, string Reply)[] Rules =
    [
        ("emergency", Emergency(), SafetyReplies.Emergency),
        ("crisis", Crisis(), SafetyReplies.Crisis),
        ("eating_disorder", EatingDisorder(), SafetyReplies.EatingDisorder),
        ("drugs", Drugs(), SafetyReplies.Drugs),
        ("pregnancy", Pregnancy(), SafetyReplies.Pregnancy),
        ("injury", Injury(), SafetyReplies.Injury),
        ("diagnosis", Diagnosis(), SafetyReplies.Diagnosis),
    ];

    public static SafetyVerdict? Check(string message, bool isMinor)
    {
        foreach (var (category, pattern, reply) in Rules)
        {
            if (pattern.IsMatch(message))
                return new SafetyVerdict(category, reply);
        }
        return isMinor && MinorRestricted().IsMatch(message) ? new SafetyVerdict("minor", SafetyReplies.Minor) : null;
    }

    /// <summary>The post-filter: a model's reply must not diagnose, dose, prescribe starvation or coach a minor to lose weight.</summary>
    public static bool ReplyIsSafe(string reply, bool isMinor)
        => !UnsafeReply().IsMatch(reply) && !(isMinor && MinorRestricted().IsMatch(reply));

    [GeneratedRegex(@"\b(chest (pain|pressure|tightness)|heart attack|(faint(ed|ing)?|passed out|blacked out)|can'?t breathe|(severe|extreme) (shortness of )?breath|stroke|face (is )?droop|slurred speech|dark (brown |cola[- ]coloured |cola[- ]colored )?(urine|pee)|rhabdo)", RegexOptions.IgnoreCase)]
    private static partial Regex Emergency();

    [GeneratedRegex(@"\b(suicid\w*|kill (myself|me)|end (my|it all)|want to die|self[- ]?harm\w*|hurt(ing)? myself|cut(ting)? myself|no reason to live)", RegexOptions.IgnoreCase)]
    private static partial Regex Crisis();

    [GeneratedRegex(@"\b(purg(e|ing)|make myself (throw up|vomit|sick)|laxatives?|fast(ing)? for (\d+|several|many|a few) days|(eat|eating|under|below) ([1-7]\d\d|[1-9]\d) (kcal|cal|calories)|anorexi\w*|bulimi\w*|binge\w*|starv(e|ing) myself|burn off (what|everything) i ate)", RegexOptions.IgnoreCase)]
    private static partial Regex EatingDisorder();

    [GeneratedRegex(@"\b(steroids?|anabolic|sarms?|dnp|clenbuterol|clen|trenbolone|tren|testosterone (cycle|injection)|hgh|growth hormone|insulin (for|to) (bulk|gain)|peds?|crash diet|cycle (dosing|dose))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Drugs();

    [GeneratedRegex(@"\b(pregnan\w*|expecting a baby|postpartum|post-partum|gave birth|trimester)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Pregnancy();

    [GeneratedRegex(@"\b(sharp pain|(joint|knee|shoulder|back|wrist|elbow|hip|ankle|neck) (pain|hurts|is hurting)|hurts when i|swell(ing|ed|s)|numb(ness)?|tingling|(torn|tore|sprain(ed)?|broke|broken|fractur\w*)|(surgery|operation) (last|this|two|three|a few)|i('m| am) injured|injur(y|ed) my)", RegexOptions.IgnoreCase)]
    private static partial Regex Injury();

    [GeneratedRegex(@"\b(is (this|it) an? (hernia|tear|fracture|infection)|do i have|diagnos\w*|my (medication|meds|prescription)|on (medication|meds)|(blood pressure|diabetes|insulin|heart condition|asthma) (and|while|when) (train|exercis|lift)|what dose|how (many|much) (mg|milligrams))", RegexOptions.IgnoreCase)]
    private static partial Regex Diagnosis();

    [GeneratedRegex(@"\b(lose weight|weight loss|calorie deficit|cut(ting)? (weight|calories)|1 ?rm test|max(ing)? out|one[- ]rep max|test my max)", RegexOptions.IgnoreCase)]
    private static partial Regex MinorRestricted();

    [GeneratedRegex(@"\b(you (have|may have|probably have|likely have) (a|an) (hernia|tear|fracture|disorder|disease|condition)|i diagnose|(take|dose of) \d+ ?(mg|mcg|iu)\b|(eat|consume) (only )?([1-7]\d\d|[1-9]\d) (kcal|calories)|cure(s|d)? (your|the)|treat(s)? your (disease|disorder|condition))", RegexOptions.IgnoreCase)]
    private static partial Regex UnsafeReply();
}
