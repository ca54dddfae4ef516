using Vigor.Core.Progress;
using static Vigor.Tests.Progress.ProgressFixtures;

namespace Vigor.Tests.Progress;

[TestClass]
public sealed class OneRepMaxTests
{
    [TestMethod]
    public void Formulas_MatchHandComputedValues_For100KgTimes5()
    {
        var epley = OneRepMax.Epley(100, 5);
        var brzycki = OneRepMax.Brzycki(100, 5);

        Assert.AreEqual(116.7, Math.Round(epley, 1));
        Assert.AreEqual(112.5, brzycki, 1e-9);
    }

    [TestMethod]
    public void Estimate_UsesRepsPlusRir_WhenRirIsLogged()
    {
        var estimate = OneRepMax.Estimate(Set(6, 100, rir: 1));

        Assert.IsNotNull(estimate);
        Assert.AreEqual(123.33, Math.Round(estimate.EpleyKg, 2));
        Assert.AreEqual(120, estimate.BrzyckiKg, 1e-9);
        Assert.AreEqual(estimate.BrzyckiKg, estimate.Kg);
    }

    [TestMethod]
    public void Estimate_ReturnsNull_OutsideTheReliableRange()
    {
        var tooManyReps = OneRepMax.Estimate(Set(11, 60));
        var tooEasy = OneRepMax.Estimate(Set(5, 100, rir: 4));
        var unweighted = OneRepMax.Estimate(Set(5));
        var tenReps = OneRepMax.Estimate(Set(10, 60));

        Assert.IsNull(tooManyReps);
        Assert.IsNull(tooEasy);
        Assert.IsNull(unweighted);
        Assert.IsNotNull(tenReps);
    }

    [TestMethod]
    public void Brzycki_EqualsTheWeight_ForASingle()
    {
        var single = OneRepMax.Brzycki(140, 1);

        Assert.AreEqual(140, single, 1e-9);
    }
}
