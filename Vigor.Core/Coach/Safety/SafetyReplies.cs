namespace Vigor.Core.Coach.Safety;

/// <summary>Fixed answers for the safety categories of fitness-science.md §5. Written by us, never generated.</summary>
internal static class SafetyReplies
{
    public const string Emergency =
        "Please stop exercising now. What you describe can be a medical emergency: call your local emergency number (911 in the US, 112 in Europe, 999 in the UK) or get to urgent care right away. I can't give training advice for this. Your plan is paused until you've been checked.";

    public const string Crisis =
        "I'm really sorry you're going through this, and I'm glad you said something. You don't have to handle it alone: if you're in the US you can call or text 988 (Suicide & Crisis Lifeline) any time; elsewhere, please contact your local emergency number or a crisis line. If you're in immediate danger, call emergency services now. Talking to someone you trust can help too.";

    public const string EatingDisorder =
        "Thanks for telling me. I won't give calorie targets, weigh-in schedules or weight-loss plans here, because what you describe can be a sign of a difficult relationship with food, and that deserves real support. A doctor, a registered dietitian or an eating-disorder helpline (NEDA in the US, Beat in the UK) can help. I'm happy to help with gentle movement that feels good whenever you want.";

    public const string Drugs =
        "I can't help with dosing or using steroids, SARMs, DNP or other performance drugs, or with crash diets: they carry serious health risks, some of them life-threatening. If you're considering any of them, please talk to a doctor or a registered dietitian first. I can help you build strength and muscle with training, sleep and regular food.";

    public const string Pregnancy =
        "Congratulations, and thank you for letting me know. Please get your doctor or midwife to clear you for exercise before you train, and follow their limits. In general, moderate activity is encouraged when there are no complications, but stop and seek care for bleeding, dizziness, chest pain, painful contractions, fluid leaking or calf pain or swelling. I can adapt your plan once you have their go-ahead.";

    public const string Injury =
        "Pain like that is a signal to stop the movement that causes it. I can't give a rehab protocol or tell you what's wrong: a physiotherapist or doctor should look at it, especially with sharp pain, swelling, numbness or after an operation. Meanwhile we can keep training the parts of your body that feel fine: add the area as an injury in your profile and your plans will leave it out.";

    public const string Diagnosis =
        "I can't diagnose conditions or advise on medication or doses: please ask your doctor or pharmacist, who knows your history. Once they've cleared you, I can help you train safely around what they tell you.";

    public const string Minor =
        "Because you're under 18, I don't do weight-loss coaching or max-strength testing. What works best at your age is learning good technique, training regularly and eating enough to grow and recover. Ask a parent, guardian or coach to be involved, and I'm happy to help you build a solid routine.";
}
