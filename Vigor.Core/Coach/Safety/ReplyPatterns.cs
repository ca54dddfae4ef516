using System.Text.RegularExpressions;

namespace Vigor.Core.Coach.Safety;

/// <summary>
/// The post-filter's pattern (fitness-science.md §5, step 4): text a model must never send, whatever it was asked.
/// Written against <see cref="SafetyText.Normalise"/>d text. Normal coaching ("1.6 g of protein per kg", "a 300-500 kcal
/// deficit", "500 ml of water", "see a doctor to find out whether you have a hernia") passes.
/// </summary>
internal static partial class ReplyPatterns
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace;

    [GeneratedRegex("""
        \b(
            # diagnosing ("see a doctor to find out whether you have a hernia" is the right answer, not a diagnosis)
            (?<!(whether|if)\s)you(\s(have|may\shave|might\shave|probably\shave|likely\shave|could\shave)|'ve\sgot|'re\ssuffering\sfrom)\s(an?\s)?
            (\w+\s)?(hernia|tear|torn\s\w+|fracture|sprain|strain|disorder|disease|condition|syndrome|infection|\w+itis|concussion)
          | (sounds|looks)\slike\s(you\shave\s)?(an?\s)?(\w+\s)?(hernia|tear|fracture|sprain|\w+itis|disorder|syndrome|infection|concussion)
          | (this|that|it)\s(is|'s)\s(an?\s)?(classic\s|clearly\s|definitely\s|likely\s)?(\w+\s){0,2}(hernia|tear|fracture|\w+itis|disorder|syndrome)
          | i\sdiagnose | my\sdiagnosis | diagnosis\sis
            # doses of drugs or supplements
          | \d+(\.\d+)?\s?(mg|mcg|iu)\b | (inject|pin)\w*\s\d | (take|dose\sof)\s\d+\s?(ml|cc|units|pills|tablets|capsules)
            # calorie targets under 800 kcal; "500 kcal less than you burn" is a deficit, not a target
          | (eat|eating|consume|aim\sfor|target|stick\sto|limit\syourself\sto|keep\s(it|your\sintake)\s(at|under|below|to)|intake\sof
             |(cut|drop)\s(it\s)?to)\s(only\s|about\s|around\s|just\s|no\smore\sthan\s|under\s|below\s|roughly\s)?
            (?<![\d,.])([1-7]\d\d|[1-9]\d)\s?(kcal|cals?|calories)\b
            (?!\s(less|fewer|below|under|deficit|more|surplus|before|after|per\smeal)\b)
          | (?<![\d,.])([1-7]\d\d|[1-9]\d)[\s-]?(kcal|calorie)\s(diet|meal\splan)
            # medical claims
          | cures?\s(your|the|it)\b | treats?\s(your|the)\s(\w+\s)?(disease|disorder|condition|diabetes|hypertension|injury)
        )
        """, Options)]
    public static partial Regex Unsafe();
}
