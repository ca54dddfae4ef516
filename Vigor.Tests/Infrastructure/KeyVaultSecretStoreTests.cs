using System.Security.Cryptography;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Vigor.Core;
using Vigor.Core.Auth;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Secrets;

namespace Vigor.Tests.Infrastructure;

[TestClass]
public sealed class KeyVaultSecretStoreTests(TestContext testContext)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider time = new();
    private FakeKeyVault vault = null!;

    private CancellationToken Ct => testContext.CancellationToken;

    [TestInitialize]
    public async Task StartVault() => vault = await FakeKeyVault.StartAsync();

    [TestCleanup]
    public async Task StopVault() => await vault.DisposeAsync();

    [TestMethod]
    public async Task GetAsync_ReturnsValue_WhenSecretExists()
    {
        vault.Put("db-password", "s3cret");
        var store = CreateStore();

        var value = await store.GetAsync("db-password", Ct);

        Assert.AreEqual("s3cret", value);
        Assert.AreEqual(1, vault.Reads("db-password"));
    }

    [TestMethod]
    public async Task GetAsync_ServesCache_WithinRefreshInterval()
    {
        vault.Put("db-password", "v1");
        var store = CreateStore();
        await store.GetAsync("db-password", Ct);
        vault.Put("db-password", "v2");
        time.Advance(Interval - TimeSpan.FromSeconds(1));

        var value = await store.GetAsync("db-password", Ct);

        Assert.AreEqual("v1", value);
        Assert.AreEqual(1, vault.Reads("db-password"));
    }

    [TestMethod]
    public async Task GetAsync_ReturnsRotatedValue_AfterRefreshInterval()
    {
        vault.Put("db-password", "v1");
        var store = CreateStore();
        await store.GetAsync("db-password", Ct);
        vault.Put("db-password", "v2");
        time.Advance(Interval);

        var value = await store.GetAsync("db-password", Ct);

        Assert.AreEqual("v2", value);
        Assert.AreEqual(2, vault.Reads("db-password"));
    }

    [TestMethod]
    public async Task GetAsync_ReturnsNull_WhenSecretMissing()
    {
        var store = CreateStore();

        var first = await store.GetAsync("no-such-secret", Ct);
        var second = await store.GetAsync("no-such-secret", Ct);

        Assert.IsNull(first);
        Assert.IsNull(second);
        Assert.AreEqual(1, vault.Reads("no-such-secret"), "a missing secret is cached like a present one");
    }

    [TestMethod]
    [DataRow(429)]
    [DataRow(503)]
    public async Task GetAsync_ServesLastGoodValue_WhenRefreshFails(int status)
    {
        vault.Put("db-password", "good");
        var store = CreateStore();
        await store.GetAsync("db-password", Ct);
        vault.Put("db-password", "rotated");
        vault.FailWith(status, TimeSpan.FromSeconds(1));
        time.Advance(Interval);

        var during = await store.GetAsync("db-password", Ct);
        var readsDuringOutage = vault.Reads("db-password");
        vault.Recover();
        time.Advance(TimeSpan.FromSeconds(30));
        var after = await store.GetAsync("db-password", Ct);

        Assert.AreEqual("good", during);
        Assert.IsGreaterThan(1, readsDuringOutage, "the refresh reached the vault and was refused");
        Assert.AreEqual("rotated", after, "the store retries soon after a failed refresh");
    }

    [TestMethod]
    public async Task GetAsync_ServesLastGoodValue_WhenRefreshTimesOut()
    {
        vault.Put("db-password", "good");
        var store = CreateStore(networkTimeout: TimeSpan.FromMilliseconds(200));
        await store.GetAsync("db-password", Ct);
        vault.StallReads(TimeSpan.FromSeconds(10));
        time.Advance(Interval);

        var value = await store.GetAsync("db-password", Ct);

        Assert.AreEqual("good", value);
        Assert.IsGreaterThan(1, vault.Reads("db-password"));
    }

    [TestMethod]
    public async Task SetAsync_WinsOverRefreshInFlight()
    {
        vault.Put("admin-password", "old");
        var store = CreateStore();
        await store.GetAsync("admin-password", Ct);
        vault.StallReads(TimeSpan.FromMilliseconds(500));
        time.Advance(Interval);
        var refresh = store.GetAsync("admin-password", Ct).AsTask();
        while (vault.Reads("admin-password") < 2)
            await Task.Delay(10, Ct);

        await store.SetAsync("admin-password", "new", Ct);
        await refresh;
        var value = await store.GetAsync("admin-password", Ct);

        Assert.AreEqual("new", value, "the refresh read 'old' before the write and must not overwrite the written value");
    }

    [TestMethod]
    public async Task GetAsync_Throws_WhenFirstReadFails()
    {
        vault.Put("db-password", "good");
        vault.FailWith(503, TimeSpan.Zero);
        var store = CreateStore();

        var error = await Assert.ThrowsExactlyAsync<RequestFailedException>(async () => await store.GetAsync("db-password", Ct));

        Assert.AreEqual(503, error.Status);
    }

    [TestMethod]
    public async Task SetAsync_WritesThrough_AndIsReadBack()
    {
        vault.Put("admin-password", "old");
        var store = CreateStore();
        await store.GetAsync("admin-password", Ct);

        await store.SetAsync("admin-password", "new", Ct);
        var cached = await store.GetAsync("admin-password", Ct);
        var readsByStore = vault.Reads("admin-password");
        var stored = await vault.CreateClient().GetSecretAsync("admin-password", cancellationToken: Ct);

        Assert.AreEqual("new", cached);
        Assert.AreEqual(1, readsByStore, "the written value is cached, not read back from the vault");
        Assert.AreEqual(1, vault.Writes("admin-password"));
        Assert.AreEqual("new", stored.Value.Value);
    }

    [TestMethod]
    public async Task Startup_FailsNamingSecret_WhenVaultLacksSigningKeys()
    {
        await using var services = BuildServices(vault.VaultUri, vault.CreateClient());
        var startup = services.GetServices<IHostedService>().OfType<StartupInitializer>().Single();

        var error = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => startup.StartAsync(Ct));

        Assert.Contains(SecretNames.JwtSigningKeys, error.Message);
        Assert.IsInstanceOfType<KeyVaultSecretStore>(services.GetRequiredService<ISecretStore>());
    }

    [TestMethod]
    public async Task Startup_LoadsSigningKeys_WhenVaultHoldsKeySet()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        vault.Put(SecretNames.JwtSigningKeys, SigningKeyRing.Serialize("k1", [("k1", key)]));
        await using var services = BuildServices(vault.VaultUri, vault.CreateClient());
        var startup = services.GetServices<IHostedService>().OfType<StartupInitializer>().Single();

        await startup.StartAsync(Ct);
        var snapshot = await services.GetRequiredService<SigningKeyRing>().GetAsync(Ct);

        Assert.AreEqual("k1", snapshot.Signing.Key.KeyId);
        Assert.HasCount(1, snapshot.ValidationKeys);
        Assert.AreEqual(1, vault.Reads(SecretNames.JwtSigningKeys), "the second GetAsync is served from the cache");
    }

    [TestMethod]
    public async Task SecretsOptions_FailValidationNamingUri_WhenKeyVaultHasNoUri()
    {
        await using var services = BuildServices(vaultUri: null, client: null);

        var error = Assert.ThrowsExactly<OptionsValidationException>(() => services.GetRequiredService<IOptions<SecretsOptions>>().Value);

        Assert.Contains("Secrets:KeyVaultUri", error.Message);
    }

    private KeyVaultSecretStore CreateStore(TimeSpan? networkTimeout = null) => new(
        vault.CreateClient(networkTimeout),
        Options.Create(new SecretsOptions { Provider = "KeyVault", KeyVaultUri = vault.VaultUri, RefreshInterval = Interval }),
        time,
        NullLogger<KeyVaultSecretStore>.Instance);

    private static ServiceProvider BuildServices(Uri? vaultUri, SecretClient? client)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Secrets:Provider"] = "KeyVault",
            ["Secrets:KeyVaultUri"] = vaultUri?.ToString(),
            // Never opened: migrations are off and no Admin:Email is set, so startup does not touch PostgreSQL.
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=unused",
            ["Database:MigrateOnStartup"] = "false",
            ["Auth:Issuer"] = "https://tests.vigor.local",
            ["Auth:Audience"] = "vigor-tests",
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddVigorCore();
        if (client is not null)
            services.Replace(ServiceDescriptor.Singleton(client));
        return services.BuildServiceProvider();
    }
}
