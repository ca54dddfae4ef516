using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Llm;
using Vigor.Core.Llm.Providers;

namespace Vigor.Tests.Llm;

[TestClass]
public sealed class LlmServicesTests(TestContext testContext)
{
    private CancellationToken Ct => testContext.CancellationToken;

    [TestMethod]
    public async Task AddVigorLlmProviders_RegistersEveryVendorKind()
    {
        await using var services = LlmTestKit.Services();

        var registry = services.GetRequiredService<LlmProviderRegistry>();

        CollectionAssert.AreEquivalent(
            new[] { ProviderKinds.OpenAi, ProviderKinds.OpenAiCompatible, ProviderKinds.AzureOpenAi, ProviderKinds.Anthropic },
            registry.Kinds.ToArray());
        Assert.IsNotNull(services.GetRequiredService<ProviderCaller>());
    }

    [TestMethod]
    public async Task CompleteAsync_ReusesSdkClient_UntilKeyChanges()
    {
        await using var server = await FakeLlmServer.StartAsync();
        await using var services = LlmTestKit.Services();
        var provider = (OpenAiProvider)services.Provider(ProviderKinds.OpenAiCompatible);
        var config = LlmTestKit.Config(server, ProviderKinds.OpenAiCompatible);

        await provider.CompleteAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct);
        await provider.CompleteAsync(config, FakeLlmServer.ApiKey, LlmTestKit.Request(), Ct);
        var afterSameKey = provider.CachedClients;
        // The fake only knows the old key, so the rotated one is refused, but only after a new client sent it.
        await Assert.ThrowsExactlyAsync<LlmProviderException>(() => provider.CompleteAsync(config, "sk-rotated", LlmTestKit.Request(), Ct));
        var afterOtherKey = provider.CachedClients;

        Assert.AreEqual(1, afterSameKey);
        Assert.AreEqual(2, afterOtherKey);
        Assert.AreEqual(3, server.Calls);
    }

    [TestMethod]
    public void ClientCacheKey_HoldsHashNotKey()
    {
        var config = new ProviderConfig { Id = Guid.NewGuid(), Name = "p", Kind = ProviderKinds.OpenAi, Model = "m" };

        var key = ProviderClientCache<object>.Key(config, FakeLlmServer.ApiKey);

        Assert.DoesNotContain(FakeLlmServer.ApiKey, key);
        Assert.AreNotEqual(key, ProviderClientCache<object>.Key(config, FakeLlmServer.ApiKey + "x"));
    }
}
