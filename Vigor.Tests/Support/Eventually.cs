namespace Vigor.Tests.Support;

/// <summary>Polls for something that happens asynchronously (a PostgreSQL notification, a listener reconnecting).</summary>
internal static class Eventually
{
    public static Task WaitForAsync(Func<bool> condition, string what) => WaitForAsync(() => Task.FromResult(condition()), what);

    public static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Timed out: {what}.");
            await Task.Delay(10);
        }
    }
}
