namespace Vigor.Tests.Support;

/// <summary>One local host for the whole run; tests that need special settings start their own.</summary>
[TestClass]
public static class SharedHost
{
    private static TestHost? host;

    internal static TestHost Host => host ?? throw new InvalidOperationException("The shared host did not start.");

    [AssemblyInitialize]
    public static async Task StartAsync(TestContext context)
    {
        _ = context;
        host = await TestHost.StartAsync("shared");
    }

    [AssemblyCleanup]
    public static async Task StopAsync()
    {
        if (host is not null)
            await host.DisposeAsync();
    }
}
