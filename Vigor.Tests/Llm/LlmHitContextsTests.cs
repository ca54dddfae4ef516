using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;

namespace Vigor.Tests.Llm;

[TestClass]
public sealed class LlmHitContextsTests
{
    [TestMethod]
    public void Derive_MakesOncePerKey_AnotherKeyIsMadeAfresh()
    {
        var context = new LlmHitContexts.Context(null!, new Tier { Name = "free" }, new RowVersions(1, 2, 3));
        var made = 0;
        string Make(string what) { made++; return what + made; }

        var first = context.Derive(("strength", (string?)null), () => Make("a"));
        var again = context.Derive(("strength", (string?)null), () => Make("b"));
        var other = context.Derive(("hypertrophy", (string?)null), () => Make("c"));
        var focus = context.Derive(("hypertrophy", (string?)"legs"), () => Make("d"));

        Assert.AreSame(first, again, "an equal key reuses what was made");
        Assert.AreEqual("c2", other, "another request is built afresh");
        Assert.AreEqual("d3", focus);
        Assert.AreEqual(3, made);
    }
}
