namespace Vigor.Core.Coach.Offline;

/// <summary>
/// Day templates in priority order. Up to 3 days: full body (ACSM 2009 for novices); 4–6 days: upper/lower alternating,
/// which keeps the same muscles off consecutive days (V3). Variants rotate patterns so repeated days differ; the first
/// lifts of consecutive variants lean alternately to pulling and pushing, so trimmed short sessions stay balanced (V12).
/// </summary>
internal static class SplitTemplates
{
    public static bool IsFullBody(int days) => days <= 3;

    public static string SplitName(int days) => IsFullBody(days) ? "Full Body" : "Upper/Lower";

    public static (string Name, List<Slot> Slots) Day(int index, int days, string goal)
    {
        var letter = (char)('A' + (IsFullBody(days) ? index : index / 2));
        var (name, slots) = IsFullBody(days)
            ? ($"Full Body {letter}", FullBody(index))
            : index % 2 == 0 ? ($"Upper {letter}", Upper(index / 2)) : ($"Lower {letter}", Lower(index / 2));
        AddGoalSlots(slots, goal);
        return (name, slots);
    }

    private static List<Slot> FullBody(int variant) => (variant % 3) switch
    {
        0 =>
        [
            Slot.Main("squat"), Slot.Main("horizontal_push", "vertical_push"), Slot.Main("horizontal_pull", "vertical_pull"), Slot.Main("hinge"),
            Slot.Main("vertical_pull", "horizontal_pull"), Slot.Main("vertical_push", "horizontal_push"), Slot.Core, Slot.Accessory("horizontal_pull", "biceps"),
            Slot.Accessory("vertical_push", "triceps"), Slot.Accessory("squat", "calves"),
        ],
        1 =>
        [
            Slot.Main("hinge"), Slot.Main("vertical_push", "horizontal_push"), Slot.Main("vertical_pull", "horizontal_pull"), Slot.Main("lunge", "squat"),
            Slot.Main("horizontal_push", "vertical_push"), Slot.Main("horizontal_pull", "vertical_pull"), Slot.Core, Slot.Accessory("vertical_push", "side_delts"),
            Slot.Accessory("hinge", "hamstrings"), Slot.Accessory("horizontal_pull", "rear_delts"),
        ],
        _ =>
        [
            Slot.Main("lunge", "squat"), Slot.Main("horizontal_push", "vertical_push"), Slot.Main("horizontal_pull", "vertical_pull"), Slot.Main("hinge"),
            Slot.Main("vertical_push", "horizontal_push"), Slot.Main("vertical_pull", "horizontal_pull"), Slot.Core, Slot.Accessory("squat", "quads"),
            Slot.Accessory("horizontal_pull", "biceps"), Slot.Accessory("vertical_push", "triceps"),
        ],
    };

    private static List<Slot> Upper(int variant) => variant % 2 == 0
        ?
        [
            Slot.Main("horizontal_push", "vertical_push"), Slot.Main("horizontal_pull", "vertical_pull"), Slot.Main("vertical_pull", "horizontal_pull"), Slot.Main("vertical_push", "horizontal_push"),
            Slot.Accessory("horizontal_push", "chest"), Slot.Accessory("vertical_push", "side_delts"),
            Slot.Accessory("horizontal_pull", "biceps"), Slot.Accessory("vertical_push", "triceps"),
            Slot.Accessory("horizontal_pull", "rear_delts"), Slot.Accessory("vertical_pull", "lats"),
        ]
        :
        [
            Slot.Main("vertical_push", "horizontal_push"), Slot.Main("vertical_pull", "horizontal_pull"), Slot.Main("horizontal_push", "vertical_push"), Slot.Main("horizontal_pull", "vertical_pull"),
            Slot.Accessory("vertical_pull", "lats"), Slot.Accessory("horizontal_pull", "rear_delts"),
            Slot.Accessory("vertical_push", "triceps"), Slot.Accessory("horizontal_pull", "biceps"),
            Slot.Accessory("vertical_push", "side_delts"), Slot.Accessory("horizontal_push", "chest"),
        ];

    private static List<Slot> Lower(int variant) => variant % 2 == 0
        ?
        [
            Slot.Main("squat"), Slot.Main("hinge"), Slot.Main("lunge"), Slot.Core, Slot.Accessory("hinge", "hamstrings"),
            Slot.Accessory("squat", "quads"), Slot.Accessory("squat", "calves"),
        ]
        :
        [
            Slot.Main("hinge"), Slot.Main("squat", "lunge"), Slot.Main("lunge"), Slot.Core, Slot.Accessory("hinge", "glutes"),
            Slot.Accessory("squat", "calves"), Slot.Accessory("squat", "adductors"),
        ];

    private static void AddGoalSlots(List<Slot> slots, string goal)
    {
        switch (goal)
        {
            case "endurance" or "weight_loss":
                slots.Insert(Math.Min(3, slots.Count), Slot.Cardio);
                break;
            case "mobility":
                slots.Insert(0, Slot.Mobility);
                slots.Insert(Math.Min(3, slots.Count), Slot.Mobility);
                break;
            case "general_fitness":
                slots.Add(Slot.Cardio);
                break;
        }
    }
}
