using Microsoft.Extensions.Time.Testing;
using Vigor.Core.Infrastructure.Caching;

namespace Vigor.Tests.Infrastructure;

/// <summary>The rules that keep a per-user cache exact: what is stored, when it is served, and what drops it.</summary>
[TestClass]
public sealed class ExactUserCacheTests
{
    private static readonly Guid User = Guid.NewGuid();
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Forever = DateTimeOffset.MaxValue;

    private static ExactUserCache<string> Live(FakeTimeProvider? time = null)
    {
        var cache = new ExactUserCache<string>(time ?? new FakeTimeProvider(T0), "test_channel", enabled: true, TimeSpan.FromMinutes(5));
        cache.Reset(listening: true);
        return cache;
    }

    [TestMethod]
    public void Stored_IsServed()
    {
        var cache = Live();
        cache.Store(User, 0, "a", cache.Begin(User), T0, Forever);

        Assert.IsTrue(cache.TryGet(User, 0, T0, out var value));
        Assert.AreEqual("a", value);
    }

    [TestMethod]
    public void Variants_AreKeptApart()
    {
        var cache = Live();
        cache.Store(User, 4, "four weeks", cache.Begin(User), T0, Forever);
        cache.Store(User, 12, "twelve weeks", cache.Begin(User), T0, Forever);

        Assert.IsTrue(cache.TryGet(User, 4, T0, out var four));
        Assert.IsTrue(cache.TryGet(User, 12, T0, out var twelve));
        Assert.AreEqual(("four weeks", "twelve weeks"), (four, twelve));
        Assert.IsFalse(cache.TryGet(User, 8, T0, out _));
    }

    [TestMethod]
    public void Served_OnlyWithinItsSpanOfTime()
    {
        var cache = Live();
        var until = T0.AddHours(3);
        cache.Store(User, 0, "today", cache.Begin(User), T0, until);

        Assert.IsTrue(cache.TryGet(User, 0, T0.AddHours(2), out _));
        Assert.IsFalse(cache.TryGet(User, 0, until, out _), "until is exclusive");
        Assert.IsFalse(cache.TryGet(User, 0, T0.AddTicks(-1), out _), "not before the moment it was read for");
    }

    [TestMethod]
    public void InvalidationOfTheUserDuringTheRead_IsNotStored()
    {
        var cache = Live();
        var ticket = cache.Begin(User);
        cache.Invalidate(User);
        cache.Store(User, 0, "read before the change", ticket, T0, Forever);

        Assert.IsFalse(cache.TryGet(User, 0, T0, out _));
    }

    [TestMethod]
    public void InvalidationOfAnotherUser_DoesNotStopTheStore()
    {
        var cache = Live();
        var other = Enumerable.Range(0, 10_000).Select(_ => Guid.NewGuid()).First(g => (g.GetHashCode() & 1023) != (User.GetHashCode() & 1023));
        var ticket = cache.Begin(User);
        cache.Invalidate(other);
        cache.Store(User, 0, "a", ticket, T0, Forever);

        Assert.IsTrue(cache.TryGet(User, 0, T0, out _));
    }

    [TestMethod]
    public void Invalidate_DropsEveryVariantOfTheUser()
    {
        var cache = Live();
        cache.Store(User, 1, "a", cache.Begin(User), T0, Forever);
        cache.Store(User, 2, "b", cache.Begin(User), T0, Forever);
        cache.Invalidate(User);

        Assert.IsFalse(cache.TryGet(User, 1, T0, out _));
        Assert.IsFalse(cache.TryGet(User, 2, T0, out _));
    }

    [TestMethod]
    public void Notification_WithAUserId_DropsThatUser_AndAnythingElseEmptiesTheCache()
    {
        var cache = Live();
        IChangeSubscriber subscriber = cache;
        var other = Guid.NewGuid();
        cache.Store(User, 0, "a", cache.Begin(User), T0, Forever);
        cache.Store(other, 0, "b", cache.Begin(other), T0, Forever);

        subscriber.Changed(User.ToString());
        Assert.IsFalse(cache.TryGet(User, 0, T0, out _));
        Assert.IsTrue(cache.TryGet(other, 0, T0, out _));

        subscriber.Changed("not a user id");
        Assert.AreEqual(0, cache.Count);
    }

    [TestMethod]
    public void Notification_WithABatchOfUserIds_DropsEachOfThem()
    {
        var cache = Live();
        IChangeSubscriber subscriber = cache;
        var (second, untouched) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var user in new[] { User, second, untouched })
            cache.Store(user, 0, "a", cache.Begin(user), T0, Forever);

        subscriber.Changed($"{Guid.NewGuid():N}:{User},{second}");

        Assert.IsFalse(cache.TryGet(User, 0, T0, out _));
        Assert.IsFalse(cache.TryGet(second, 0, T0, out _));
        Assert.IsTrue(cache.TryGet(untouched, 0, T0, out _));
    }

    [TestMethod]
    public void NotListening_CachesNothing_AndLosingTheListenerEmptiesIt()
    {
        var cache = new ExactUserCache<string>(new FakeTimeProvider(T0), "test_channel", enabled: true, TimeSpan.FromMinutes(5));
        cache.Store(User, 0, "a", cache.Begin(User), T0, Forever);
        Assert.IsFalse(cache.TryGet(User, 0, T0, out _), "nothing is kept before the listener is live");

        cache.Reset(listening: true);
        var ticket = cache.Begin(User);
        cache.Store(User, 0, "a", ticket, T0, Forever);
        cache.Reset(listening: false);
        Assert.IsFalse(cache.TryGet(User, 0, T0, out _));
        Assert.AreEqual(0, cache.Count);

        cache.Reset(listening: true);
        cache.Store(User, 0, "read before the reconnect", ticket, T0, Forever);
        Assert.IsFalse(cache.TryGet(User, 0, T0, out _), "a read begun before a reconnect may have missed a notification");
    }

    [TestMethod]
    public void OldEntries_AreReadAgain()
    {
        var time = new FakeTimeProvider(T0);
        var cache = Live(time);
        cache.Store(User, 0, "a", cache.Begin(User), T0, Forever);
        time.Advance(cache.MaxAge);

        Assert.IsFalse(cache.TryGet(User, 0, T0, out _));
    }
}
