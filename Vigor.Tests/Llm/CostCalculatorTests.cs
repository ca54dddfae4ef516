using Vigor.Core.Llm;

namespace Vigor.Tests.Llm;

[TestClass]
public sealed class CostCalculatorTests
{
    private static readonly ProviderConfig Priced = new()
    {
        Id = Guid.NewGuid(), Name = "priced", Kind = ProviderKinds.OpenAi, Model = "gpt-4o",
        InputPricePerMillion = 2.50m, OutputPricePerMillion = 10.00m,
    };

    [TestMethod]
    public void Cost_IsExact_ForKnownTokens()
    {
        var cost = CostCalculator.Cost(Priced, inputTokens: 1234, outputTokens: 567);

        // 1234 × 2.50 / 1e6 + 567 × 10 / 1e6 = 0.003085 + 0.00567
        Assert.AreEqual(0.008755m, cost);
    }

    [TestMethod]
    public void Cost_RoundsToSixDecimals_AwayFromZero()
    {
        var cheap = Priced with { InputPricePerMillion = 0.15m, OutputPricePerMillion = 0.60m };

        var cost = CostCalculator.Cost(cheap, inputTokens: 10, outputTokens: 5);

        // 0.0000015 + 0.000003 = 0.0000045 → 0.000005
        Assert.AreEqual(0.000005m, cost);
    }

    [TestMethod]
    public void Cost_IsZero_ForFreeProvider()
    {
        var free = Priced with { InputPricePerMillion = 0m, OutputPricePerMillion = 0m };

        Assert.AreEqual(0m, CostCalculator.Cost(free, 1_000_000, 1_000_000));
    }

    [TestMethod]
    public void WorstCase_PricesEveryAllowedOutputToken()
    {
        var worst = CostCalculator.WorstCase(Priced, inputTokensEstimate: 1000, maxOutputTokens: 2000);

        // 1000 × 2.50 / 1e6 + 2000 × 10 / 1e6 = 0.0025 + 0.02
        Assert.AreEqual(0.0225m, worst);
    }

    [TestMethod]
    public void EstimateInputTokens_RoundsCharactersUpAndAddsPerMessageOverhead()
    {
        var request = new LlmRequest(
            [new LlmMessage(LlmRoles.System, new string('x', 10)), new LlmMessage(LlmRoles.User, new string('y', 9))],
            MaxOutputTokens: 100, Temperature: null, JsonOutput: false);

        var estimate = CostCalculator.EstimateInputTokens(request);

        // ceil(19 / 4) = 5, plus 4 per message
        Assert.AreEqual(13, estimate);
        Assert.AreEqual(CostCalculator.WorstCase(Priced, 13, 100), CostCalculator.WorstCase(Priced, request));
    }
}
