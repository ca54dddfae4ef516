using Vigor.Core.Progress;
using static Vigor.Tests.Progress.ProgressFixtures;

namespace Vigor.Tests.Progress;

[TestClass]
public sealed class PersonalRecordsTests
{
    private static readonly LoggedSession[] History =
    [
        Session(Utc(2025, 3, 3), Lift("barbell-bench-press", Set(5, 100), Set(5, 100), Set(8, 80))),
        Session(Utc(2025, 3, 5), Lift("barbell-bench-press", Set(5, 95))),
    ];

    [TestMethod]
    public void Bests_TracksHeaviestE1rmAndSetVolume()
    {
        var best = PersonalRecords.Bests(History).Single();

        Assert.AreEqual(100, best.HeaviestKg);
        Assert.AreEqual(112.5, best.BestE1rmKg!.Value, 1e-9);
        Assert.AreEqual(640, best.BestSetVolumeKg);
    }

    [TestMethod]
    public void NewRecords_ReportsHeaviestWeight_Only()
    {
        var session = Session(Utc(2025, 3, 7), Lift("barbell-bench-press", Set(3, 105)));

        var records = PersonalRecords.NewRecords(History, session);

        var record = records.Single();
        Assert.AreEqual(PersonalRecords.HeaviestWeight, record.Kind);
        Assert.AreEqual(105, record.Value);
        Assert.AreEqual(100, record.Previous);
    }

    [TestMethod]
    public void NewRecords_ReportsE1rmAndVolume_ForMoreRepsAtTheSameWeight()
    {
        var session = Session(Utc(2025, 3, 7), Lift("barbell-bench-press", Set(7, 100)));

        var records = PersonalRecords.NewRecords(History, session);

        CollectionAssert.AreEquivalent(new[] { PersonalRecords.BestE1rm, PersonalRecords.BestSetVolume }, records.Select(r => r.Kind).ToArray());
        Assert.AreEqual(120, records.Single(r => r.Kind == PersonalRecords.BestE1rm).Value, 1e-9);
        Assert.AreEqual(700, records.Single(r => r.Kind == PersonalRecords.BestSetVolume).Value);
    }

    [TestMethod]
    public void NewRecords_IgnoresFirstPerformancesAndEqualEfforts()
    {
        var session = Session(Utc(2025, 3, 7), Lift("goblet-squat", Set(10, 24)), Lift("barbell-bench-press", Set(5, 100)));

        var records = PersonalRecords.NewRecords(History, session);

        Assert.IsEmpty(records);
    }
}
