using System.Text.RegularExpressions;

namespace Vigor.Core.Coach.Safety;

/// <summary>
/// One pattern per safety category of fitness-science.md §5, written against <see cref="SafetyText.Normalise"/>d text
/// (lower case, straight apostrophes, single spaces). Each alternative is a phrase that signals the category on its own;
/// words that are everyday gym talk ("stroke rate", "power clean", "tore through", "killing me", "broke my PR",
/// "anabolic window", "16:8 fasting") are deliberately left out or fenced off, because false alarms teach users to
/// ignore the real ones.
/// </summary>
internal static partial class SafetyPatterns
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace;

    // Emergency: the stop-exercise signs of §3.8 that need emergency services or urgent care now.
    [GeneratedRegex("""
        \b(
            # heart: chest pain or pressure (but not a chest that is tight from yesterday's bench), an attack, palpitations
            chest[\s-]?(pain|pains|pressure|tightness) | (pain|pressure|tightness)\sin\smy\schest
          | chest\s(feels|is|felt|gets)\s(really\s|very\s|so\s)?(tight|heavy)(?!\s(from|after)\s(bench|chest\sday|push|dips|fl(y|ies|yes)|press))
          | (having|had\sjust|is\sthis|was\sthat|was\sit|signs\sof|symptoms\sof)\sa\sheart\sattack | heart\sattack\s(signs|symptoms)
          | palpitations | irregular\sheart\s?beat | skip(s|ped|ping)?\s(a\s)?beats?
            # fainting, collapse, breathing, bleeding, overdose
          | faint(ed|ing)?\b | passed\sout | black(ed)?\sout | (almost|nearly|about\sto)\s(faint|pass\sout) | (i|he|she)\s(just\s)?collapsed
          | can'?t\sbreathe? | cannot\sbreathe? | struggling\sto\sbreathe | (severe|extreme)\s(shortness\sof\sbreath|breathlessness)
          | (cough\w*|vomit\w*|throw\w*)\s(up\s)?blood | blood\sin\smy\s(urine|pee)
          | (i|i've|i\shave|he|she|just)\s(overdosed|took\san\soverdose)
          | (took|taken|had|drank)\s(way\s)?too\s(much|many)\s(\w+\s)?(pre[\s-]?workout|caffeine|fat\sburners?|energy\sdrinks?)
            # stroke (FAST): face drooping, one-sided numbness or weakness, slurred speech, a sudden worst-ever headache
          | (having|just\shad)\sa\sstroke | signs?\sof\sa?\s?stroke | stroke\s(signs|symptoms)
          | face\s(is\s)?droop\w* | one\sside\sof\smy\s(face|body) | (numb|weak)\w*\son\sone\sside | sudden(ly)?\s(weakness|numbness|confusion)
          | slurred\sspeech | speech\s(is\s|was\s)?slurr\w* | words\scome\sout\swrong | can'?t\s(speak|talk)\sproperly | worst\sheadache
            # rhabdomyolysis: dark (brown, cola, tea) urine after hard training; dark yellow is only thirst
          | rhabdo\w* | dark(?!\syellow)\s(brown\s|red\s)?(urine|pee)
          | (urine|pee)\s(is|was|looks|turned|went)\s(like\s|really\s|very\s)?(dark(?!\syellow)|brown|cola|tea|red|black)
          | (brown|cola|tea|coke)[\s-]?colou?red\s(urine|pee) | (urine|pee)\s(is\s)?(the\s)?colou?r\sof\s(coke|cola|tea|coffee)
        )
        """, Options)]
    public static partial Regex Emergency();

    // Crisis: suicidal thoughts or self-harm, including indirect phrasing. Gym hyperbole ("this is killing me") is not.
    [GeneratedRegex("""
        \b(
            suicid\w* | sucid\w* | suicde\w*
          | kill(ing)?\smy\s?self | unalive\s(my\s?self|me) | end(ing)?\s(my|it)\s(own\s)?life | end\sit\sall | take\smy\s(own\s)?life
          | (feel\slike|thinking\s(about|of)|want\sto|going\sto)\s(ending|end)\sit\b(?!\s(with|on|early))
          | painless\sway\sto\s(go|die)\b(?!\sabout) | how\sto\sdie\b | tak(e|ing)\sall\s(of\s)?my\s(pills|meds|medication)
          | (nobody|no\sone)\s(would|will)\s(care|notice|miss\sme)\sif\si\s(was|were|died|disappeared)
          | (want|wanted|wanna)\sto\sdie | wish\si\s(was|were)\sdead | better\soff\s(dead|without\sme) | never\swake\sup
          | (no|any|the)\s(reason|point)\s(to|in)\s(live|living|going\son|being\salive)
          | don'?t\swant\sto\s(live|be\salive|exist) | don'?t\swant\sto\sbe\shere\sany\s?more
            # self-harm; "I don't want to hurt myself on squats" and "without hurting myself" are about lifting safely
          | self[\s-]?harm\w* | (cut|cutting|burn|burning|hurt|hurting)\smy\s?self\s(again|on\spurpose)
          | (?<!(don'?t|not|never)\s)(want|going|wanna|urge)\sto\s(hurt|harm|cut)\smy\s?self
          | (been|keep|started|thoughts\sof|thinking\sabout)\s(hurting|harming|cutting)\smy\s?self
        )
        """, Options)]
    public static partial Regex Crisis();

    // Eating-disorder signals: purging, fasting for days, under 800 kcal a day, exercise to make up for eating,
    // and an underweight BMI (< 18.5) with a wish to lose more. Intermittent fasting by the hour is not a signal.
    [GeneratedRegex("""
        \b(
            # purging, named disorders, restriction
            purg(e|es|ed|ing)\b | make\smy\s?self\s(throw\sup|vomit|sick|puke)
          | (threw|throw|throwing|vomit\w*|puk\w*)\s(up\s)?(\w+\s){0,2}(on\spurpose|deliberately)
          | (throw|throwing|threw)\sup\s(after|what)\s(eating|i\seat|i\sate|meals?|food|dinner)
          | lax[ai]tives? | anorexi\w* | bulimi\w* | eating\sdisorder | binge(d|ing)?[\s-]?(eat\w*|ate|and\spurge)
          | starv(e|ing)\smy\s?self | pro[\s-]?ana\b | thinspo\w* | suppress\s(my\s)?(appetite|hunger)
          | skip(ping)?\s(all\s)?(my\s)?meals\s(to|so|all\sday) | hid(e|ing)\s(not\seating|my\seating|that\si\s(don'?t|didn'?t)\seat)
            # fasting for days (not 16:8 by the hour)
          | fast(ing|ed)?\sfor\s(\d+|two|three|four|five|six|seven|several|many|a\sfew)\sdays | fast(ing)?\sfor\s(a|one|\d+|two)\sweeks?
          | (\d+|two|three|four|five|six|seven)[\s-]?days?\s(water\s|juice\s|dry\s)?fast | (4[89]|[5-9]\d|\d{3})[\s-]?h(ou)?rs?\s(water\s|dry\s)?fast
          | (haven'?t|not|didn'?t)\s(eaten|eat)\s(anything\s)?(in|for)\s(\d+|two|three|four|five|several|a\sfew)\sdays
            # under 800 kcal a day (a very-low-calorie diet), but not a 500 kcal deficit, a snack or what a workout burned
          | (?<![\d,.])(?<!(burn|burned|burnt|deficit\sof)\s)([1-7]\d\d|[1-9]\d)\s?(kcal|cals?|calories)\s?((a|per|each)\sday|/\s?day|daily)
            (?!\s(deficit|surplus))
          | (?<![\d,.])([1-7]\d\d|[1-9]\d)[\s-]?(kcal|cals?|calories?)\s(a\sday\s)?(diet|meal\splan)
          | (eat|eating|ate|consume|living\son)\s(only\s|about\s|around\s|like\s|just\s|under\s|below\s|less\sthan\s)?
            (?<![\d,.])([1-7]\d\d|[1-9]\d)\s?(kcal|cals?|calories)\b(?!\s(before|after|pre|post|for|at|with|of|less|fewer|more)\b)
          | (under|below|less\sthan)\s(800|1,?000)\s?(kcal|cals?|calories)
            # compensatory exercise and food that has to be earned
          | burn(ed|t|ing)?\s(it\sall|everything|all\sof\sit|what\si\s(ate|eat))\soff
          | burn(ed|t|ing)?\soff\s(everything|all|what)\si\s(ate|eat)
          | (earn|deserve)\s(my\s)?(food|meals?|dinner|calories|to\seat) | make\sup\sfor\s(eating|what\si\sate|a\sbinge)
          | punish(ing)?\smy\s?self\s(with|by|for\seating)
            # underweight (BMI under 18.5) and still wanting to lose
          | (bmi\s(is\s|of\s|at\s)?(1[0-7]|18(?!\.[5-9]))(\.\d+)?\b|underweight)(?=.{0,200}\b(lose|losing|lower|drop|cut|thinner|skinnier))
        )
        """, Options)]
    public static partial Regex EatingDisorder();

    // Drugs: anabolic steroids, SARMs, DNP, clenbuterol, hormones and other performance drugs, and crash diets
    // (800-1,199 kcal a day, or pounds a week). Natural testosterone, the "anabolic window" and cycling are fine.
    [GeneratedRegex("""
        \b(
            # anabolic steroids by name, slang and cycle
            ster(oi|io|o)ds?\b | roids?\b | anabolic\ssteroids? | anabolics\b | trenbolone | tren\b | nandrolone | deca\b | dianabol | d-?bol\b
          | anavar | oxandrolone | winstrol | winny\b | anadrol | primobolan | masteron | equipoise
          | test\s?(e|c|cyp|cypionate|enanthate|prop|propionate)\b | testosterone\s(cycle|injections?|shots?|dose|dosage)
          | (steroid|test|sarms?|tren)\scycle | post[\s-]?cycle\stherapy | \bpeds?\b | performance[\s-]enhancing\sdrugs?
            # SARMs and growth-hormone secretagogues
          | sarms?\b | ostarine | mk[\s-]?2866 | ligandrol | lgd[\s-]?4033 | rad[\s-]?140 | testolone | cardarine | gw[\s-]?501516
          | andarine | yk[\s-]?11\b | mk[\s-]?677 | ibutamoren
            # fat burners that kill, hormones, diuretics, injections
          | dnp\b | dinitrophenol | clen(buter[oa]l|butrol)?\b | ephedrine | eca\sstack | hgh\b | growth\shormone
          | insulin\s(for|to)\s(bulk|gain) | (take|taking|use|using)\sdiuretics | diuretics\s(to|for) | water\spills | synthol
          | (inject|injecting|pin|pinning)\s(\w+\s)?(testosterone|test|tren|hgh|insulin|peptides?|steroids?)
            # crash diets
          | crash\sdiet\w* | starvation\sdiet | (very\slow|vlcd)\scalorie\sdiet | juice\scleanse | detox\s(tea|cleanse)
          | (?<![\d,.])(8\d\d|9\d\d|1,?[01]\d\d)[\s-]?(kcal|cals?|calories?)[\s-]((a|per)\sday\s|daily\s)?(diet|meal\splan|plan)
          | (eat|eating|on)\s(only\s|about\s|just\s)?(?<![\d,.])(8\d\d|9\d\d|1,?[01]\d\d)\s?(kcal|cals?|calories)
            \s?((a|per)\sday|daily|/\s?day)
          | lose\s\d+\s?(lbs?|pounds|kgs?|kilos?)\s(in|within)\s((a|one|1)\sweek|\d+\sdays)
        )
        """, Options)]
    public static partial Regex Drugs();

    // Pregnancy and postpartum: needs clinician clearance and the ACOG limits, not a generic plan.
    [GeneratedRegex("""
        \b(
            preg(nan|ant|nat|n?ent)\w* | preggers | preggo | expecting\s(a\sbaby|twins) | trimester
          | (i'?m|im|we'?re)\sexpecting(?=\s?([.!,?]|$|and\b|our\s|my\s(first|second)))
          | post[\s-]?(partum|natal) | gave\sbirth | had\smy\sbaby | c[\s-]section | c?a?esarean | diastasis | breast[\s-]?feeding
        )
        """, Options)]
    public static partial Regex Pregnancy();

    // Injury and pain: sharp or joint pain, swelling, numbness, structural damage, a recent operation. Soreness
    // (DOMS) is not pain, and "tore through my workout" or "broke my PR" are not injuries.
    [GeneratedRegex("""
        \b(
            # pain that is a stop sign, not soreness
            (sharp|shooting|stabbing|searing|nerve|joint|severe)\spains?
          | pains?\s(in|on)\s(my\s)?(\w+\s)?(knee|shoulder|back|wrist|elbow|hip|ankle|neck|joint|spine|groin|foot|heel)s?\b
          | (knee|shoulder|back|wrist|elbow|hip|ankle|neck|spine|groin|heel)s?\s
            (pain|hurts?|is\shurting|are\shurting|aches?|is\skilling\sme|gave\sout|popped|locked\sup|seized\sup)
          | (heard|felt)\s(a\s|something\s)?(pop|snap|tear|rip)\b | shin\ssplints
          | hurts?\s(when|if)\si\b | it\shurts\sto | painful\s(to|when)
            # swelling and nerve signs
          | swell(ing|ed|s)?\b | swollen | numb(ness)?\b | tingl(ing|es)\s(in|down|up|through) | pins\sand\sneedles | pinched\snerve | sciatica
            # structural damage to a named part
          | (tore|ripped|pulled|strained|sprained|twisted|tweaked|injured|broke|fractured|dislocated|separated)\s(my|a)\s(\w+\s)?
            (acl|mcl|pcl|meniscus|rotator\scuff|labrum|hamstring|quad|calf|groin|muscle|ligament|tendon|achilles|biceps?|triceps?|pec
             |back|knee|ankle|wrist|shoulder|elbow|hip|neck|finger|toe|foot|hand|arm|leg|rib|collarbone)s?\b(?!\sblades?)
          | (torn|broken|fractured|sprained|pulled|strained|dislocated)\s(\w+\s)?(acl|mcl|pcl|meniscus|rotator\scuff|labrum|hamstring|groin
             |calf|muscle|ligament|tendon|achilles|pec|wrist|ankle|ribs?|arm|leg|collarbone|finger|toe)\b
          | (i|i've|i\shave|just)\shurt\smy\s | rolled\s(my|an?)\sankle | sprain\w* | fractur\w* | dislocat\w* | (herniated|slipped|bulging)\sdis[ck]
          | i'?m\sinjured | i\sam\sinjured | injur(y|ies|ed)\s(to\s)?my | my\sinjury
            # a recent operation
          | surger(y|ies) | post[\s-]?(op|surgery)\b | appendix\s(out|removed) | \w+ectomy | (knee|hip|shoulder)\sreplacement
          | operation\son\smy | had\san?\s(\w+\s)?operation | my\s(\w+\s)?operation
        )
        """, Options)]
    public static partial Regex Injury();

    // Diagnosis and medication: "what is this?", "can I train on my meds?", managing a condition, doses. A doctor's job.
    [GeneratedRegex("""
        \b(
            # asking what something is
            (is|could|might)\s(this|it|that)\s(be\s)?(an?\s)?(\w+\s)?
            (hernia|tear|fracture|infection|\w+itis|blood\sclot|dvt|something\sserious|cancer)
          | (do\si\shave|i\sthink\si\shave|i\sthink\si'?ve\sgot|i\sthink\si\sgot)\s(an?\s)?(\w+\s){0,2}
            (hernia|tear|fracture|infection|\w+itis|diabetes|asthma|condition|disease|disorder|syndrome|cancer|concussion)
          | diagnos\w* | herni(a|as|ae)\b | what'?s\swrong\swith\sme\b | lump\s(on|in|under)\smy
            # medication and dosing
          | my\s(medication|medications|meds|medicine|prescription|inhaler|insulin)\b
          | on\s(\w+\s)?(medication|meds|medicine|beta[\s-]?blockers?|blood\sthinners?|insulin|metformin|statins?|antidepressants?
             |ssris?|warfarin)\b
          | (beta[\s-]?blockers?|blood\sthinners?|metformin|statins?|antidepressants?|ssris?|warfarin|accutane)\b
          | (take|taking|took)\s(an?\s|some\s)?
            (ibuprofen|advil|motrin|aspirin|paracetamol|tylenol|acetaminophen|painkillers?|nsaids?|muscle\srelaxants?)
          | what\s(dose|dosage) | how\s(many|much)\s(mg|milligrams|mcg) | (right|safe|correct)\s(dose|dosage)
            # living with or managing a condition (AHA / ACSM: doctor first)
          | had\sa\s(\w+\s)?(heart\sattack|stroke|stent|bypass)
          | (my|have|with|manage|managing|lower|lowering|control|controlling|reduce)\s(\w+\s)?(high\s|low\s)?
            (blood\spressure|hypertension|diabetes|blood\ssugar|cholesterol|heart\scondition|heart\smurmur|arrhythmia|afib|asthma
             |epilepsy|copd|kidney\sdisease|arthritis|osteoporosis)
          | type\s[12]\sdiabet\w* | diabetic | pre-?diabet\w* | heart\smurmur
          | (can|will|does|could)\s(exercise|training|lifting|running|cardio|yoga)\s(cure|treat|fix|reverse)
        )
        """, Options)]
    public static partial Regex Diagnosis();

    // Minors (under 18, §5): no weight-loss coaching and no max testing. Adults may ask both.
    [GeneratedRegex("""
        \b(
            # weight loss
            lose\s(\w+\s){0,2}(weight|fat|pounds|lbs|kgs?|kilos|stone) | losing\s(\w+\s)?(weight|fat) | weight[\s-]?loss
          | slim\sdown | get\s(skinny|skinnier|thinner) | (drop|shed|cut|burn)\s(\d+\s)?(pounds|lbs|kgs?|kilos|weight|body\s?fat|belly\sfat)
          | cut(ting)?\s(weight|calories|carbs) | calorie\sdeficit | (go|going|start|starting)\son\sa\s(diet|cut)
            # max testing (a max-reps set of pull-ups is fine)
          | 1\s?rm\b | one[\s-]?rep[\s-]?max | max(ing|ed)?\sout | test(ing)?\s(my|your)\smax(?!\s(heart|pull|push|reps))
          | (bench|squat|deadlift)\smax | true\smax
        )
        """, Options)]
    public static partial Regex MinorRestricted();

    // A stated age under 18 ("I'm 15 and...", "as a 16 year old") counts even when the profile says otherwise.
    [GeneratedRegex("""
        \b(i'?m|im|i\sam)\s(1[0-7]|[6-9])(\s?(years?\sold|yrs?\sold|y/?o)\b|(?=\s?([,.!]|and\b|$)))
          | \b(as|i'?m|im|i\sam)\sa\s(1[0-7])[\s-]?(years?|yrs?)[\s-]old\b
        """, Options)]
    public static partial Regex StatedMinorAge();
}
