using Microsoft.Extensions.Hosting;
using Vigor.Core.Llm.Gateway;

namespace Vigor.Tests.Llm;

[TestClass]
public sealed class PendingSettlesTests
{
    [TestMethod]
    public async Task AUsersReads_WaitForThatUsersSettles_Only()
    {
        var settles = new PendingSettles();
        var (alice, bob) = (Guid.NewGuid(), Guid.NewGuid());
        var first = new TaskCompletionSource();
        var second = new TaskCompletionSource();
        settles.Track(alice, first.Task);
        settles.Track(alice, second.Task);

        var aliceWaits = settles.WhenSettledAsync(alice);
        var bobWaits = settles.WhenSettledAsync(bob);
        first.SetResult();
        await Task.Delay(50);
        var afterFirst = aliceWaits.IsCompleted;
        second.SetResult();
        await aliceWaits.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.IsTrue(bobWaits.IsCompleted, "nothing of Bob's was running");
        Assert.IsFalse(afterFirst, "Alice's read waits for both of her settles");
        Assert.AreEqual(0, settles.Count);
        Assert.IsTrue(settles.WhenSettledAsync(alice).IsCompleted);
    }

    [TestMethod]
    public async Task TheHostStopping_WaitsForTheSettlesStillRunning_WithinItsShutdownTimeout()
    {
        var settles = new PendingSettles();
        var running = new TaskCompletionSource();
        settles.Track(Guid.NewGuid(), running.Task);
        IHostedService hosted = settles;

        var stopping = hosted.StopAsync(CancellationToken.None);
        await Task.Delay(50);
        var stoppedEarly = stopping.IsCompleted;
        running.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(5));

        settles.Track(Guid.NewGuid(), new TaskCompletionSource().Task);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await hosted.StopAsync(timeout.Token).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.IsFalse(stoppedEarly);
        Assert.AreEqual(1, settles.Count, "a settle that outlives the shutdown timeout is left to recovery");
    }
}
