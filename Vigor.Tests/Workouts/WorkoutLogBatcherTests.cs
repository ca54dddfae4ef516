using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Progress;
using Vigor.Core.Workouts;
using Vigor.Tests.Progress;
using Vigor.Tests.Support;

namespace Vigor.Tests.Workouts;

/// <summary>
/// Concurrent logs stored in batches (insert_workout_logs) give what one-by-one inserts give, and one log's failure or
/// cancellation touches no other. Each test holds a first user's lock (as the batcher does) while the other logs queue up,
/// so the batches they form do not depend on timing.
/// </summary>
[TestClass]
public sealed class WorkoutLogBatcherTests
{
    private static TestHost Host => SharedHost.Host;

    private static NpgsqlDataSource NewDataSource() =>
        new NpgsqlDataSourceBuilder(Host.ConnectionString) { ConnectionStringBuilder = { Multiplexing = false, MaxPoolSize = 16 } }.Build();

    private static WorkoutLogBatcher Batcher(NpgsqlDataSource dataSource, int maxInFlight = 1) => new(
        new WorkoutLogRepository(dataSource), Options.Create(new WorkoutLogBatchOptions { MaxInFlight = maxInFlight }),
        NullLogger<WorkoutLogBatcher>.Instance);

    private static NewWorkoutLog Log(Guid userId, LoggedSession session) => new(userId, null, 45, session, 4, "batched");

    /// <summary>Holds the user's log lock (the key of insert_workout_log) on a connection of its own until disposed.</summary>
    private sealed class LockHold(NpgsqlConnection conn) : IAsyncDisposable
    {
        public static async Task<LockHold> TakeAsync(NpgsqlDataSource dataSource, Guid userId)
        {
            var conn = await dataSource.OpenConnectionAsync();
            await conn.ExecuteAsync("SELECT pg_advisory_lock(1464161108, hashtext(@userId::text))", new { userId });
            return new LockHold(conn);
        }

        // Released explicitly: a pooled connection is reset only when it is next used.
        public async ValueTask DisposeAsync()
        {
            await conn.ExecuteAsync("SELECT pg_advisory_unlock_all()");
            await conn.DisposeAsync();
        }
    }

    private static async Task<List<string>> StepsAsync(NpgsqlConnection conn, Guid userId) => (await conn.QueryAsync<string>("""
        SELECT exercise_id || ' ' || kind || ' ' || performed_at || ' ' || value FROM workout_bests WHERE user_id = @userId
        ORDER BY exercise_id, kind, performed_at, value
        """, new { userId })).ToList();

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public async Task InsertAsync_ConcurrentLogsOfManyUsers_GiveTheRecordsAndBestsOfSequentialInserts(int maxInFlight)
    {
        await using var dataSource = NewDataSource();
        var repository = new WorkoutLogRepository(dataSource);
        var batcher = Batcher(dataSource, maxInFlight);
        var gate = await Host.RegisterAsync();
        var batched = new List<Guid>();
        var sequential = new List<Guid>();
        for (var u = 0; u < 6; u++)
        {
            batched.Add((await Host.RegisterAsync()).UserId);
            sequential.Add((await Host.RegisterAsync()).UserId);
        }
        var now = DateTimeOffset.UtcNow;
        var history = new RandomHistory(20261127);
        // Eight sessions per user in random order of time (backdated ones too), queued user after user.
        var sessions = Enumerable.Range(0, 8).SelectMany(i => Enumerable.Range(0, 6).Select(u =>
            (User: u, Session: history.Session(history.At(now.AddDays(-90), now.AddHours(-1)), i / 8.0)))).ToList();
        var expected = new List<IReadOnlyList<PersonalRecord>>();
        foreach (var (user, session) in sessions)
            expected.Add((await repository.InsertAsync(Log(sequential[user], session), CancellationToken.None)).Records);

        Task<WorkoutLogView> first;
        List<Task<WorkoutLogView>> queued;
        await using (await LockHold.TakeAsync(dataSource, gate.UserId))
        {
            first = batcher.InsertAsync(Log(gate.UserId, history.Session(now.AddDays(-1), 0.5)), CancellationToken.None);
            queued = sessions.Select(s => batcher.InsertAsync(Log(batched[s.User], s.Session), CancellationToken.None)).ToList();
        }
        await first;
        var views = await Task.WhenAll(queued);
        await using var conn = await dataSource.OpenConnectionAsync();
        var batches = await conn.ExecuteScalarAsync<int>(
            "SELECT count(DISTINCT created_at)::int FROM workout_logs WHERE user_id = ANY(@batched)", new { batched = batched.ToArray() });

        for (var i = 0; i < sessions.Count; i++)
            CollectionAssert.AreEqual(expected[i].ToList(), views[i].Records.ToList(), $"records of log {i}");
        Assert.IsTrue(expected.Any(r => r.Count > 0), "the history sets records");
        if (maxInFlight == 1)
            Assert.AreEqual(8, batches, "one log per user in each batch: eight batches of six");
        else
            Assert.IsLessThan(sessions.Count, batches, "logs were stored together");
        for (var u = 0; u < 6; u++)
        {
            var (stored, fromScratch) = await RandomHistory.StaircaseAsync(Host, batched[u]);
            Assert.AreEqual(fromScratch, stored);
            CollectionAssert.AreEqual(await StepsAsync(conn, sequential[u]), await StepsAsync(conn, batched[u]));
            Assert.AreEqual(8, (await repository.ListOwnAsync(batched[u], new(now.AddDays(-91), now), null, 20, CancellationToken.None)).Count);
        }
    }

    [TestMethod]
    public async Task InsertAsync_FailingLogInABatch_FailsOnlyItsOwnRequest()
    {
        await using var dataSource = NewDataSource();
        var batcher = Batcher(dataSource);
        var gate = await Host.RegisterAsync();
        var users = new List<Guid>();
        for (var u = 0; u < 4; u++)
            users.Add((await Host.RegisterAsync()).UserId);
        var history = new RandomHistory(7);
        var now = DateTimeOffset.UtcNow;

        Task<WorkoutLogView> first, unknownUser;
        List<Task<WorkoutLogView>> good;
        await using (await LockHold.TakeAsync(dataSource, gate.UserId))
        {
            first = batcher.InsertAsync(Log(gate.UserId, history.Session(now.AddDays(-1), 0.5)), CancellationToken.None);
            good = users.Take(2).Select(u => batcher.InsertAsync(Log(u, history.Session(now.AddDays(-2), 0.5)), CancellationToken.None)).ToList();
            unknownUser = batcher.InsertAsync(Log(Guid.NewGuid(), history.Session(now.AddDays(-2), 0.5)), CancellationToken.None);
            good.AddRange(users.Skip(2).Select(u => batcher.InsertAsync(Log(u, history.Session(now.AddDays(-3), 0.5)), CancellationToken.None)));
        }
        await first;
        var error = await Assert.ThrowsExactlyAsync<PostgresException>(() => unknownUser);
        var views = await Task.WhenAll(good);
        var repository = new WorkoutLogRepository(dataSource);

        Assert.AreEqual(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        for (var u = 0; u < users.Count; u++)
        {
            var stored = await repository.GetOwnAsync(users[u], views[u].Id, CancellationToken.None);
            Assert.IsNotNull(stored, $"user {u}'s log is stored");
            Assert.AreEqual(views[u].CreatedAt, stored.CreatedAt);
            var (steps, fromScratch) = await RandomHistory.StaircaseAsync(Host, users[u]);
            Assert.AreEqual(fromScratch, steps);
        }
    }

    [TestMethod]
    public async Task InsertAsync_CancelledBeforeItsBatch_IsNotStored_AndTheOthersAre()
    {
        await using var dataSource = NewDataSource();
        var batcher = Batcher(dataSource);
        var repository = new WorkoutLogRepository(dataSource);
        var (gate, leaving, staying) = (await Host.RegisterAsync(), await Host.RegisterAsync(), await Host.RegisterAsync());
        var history = new RandomHistory(11);
        var now = DateTimeOffset.UtcNow;
        using var cancel = new CancellationTokenSource();

        Task<WorkoutLogView> first, left, stayed;
        await using (await LockHold.TakeAsync(dataSource, gate.UserId))
        {
            first = batcher.InsertAsync(Log(gate.UserId, history.Session(now.AddDays(-1), 0.5)), CancellationToken.None);
            left = batcher.InsertAsync(Log(leaving.UserId, history.Session(now.AddDays(-1), 0.5)), cancel.Token);
            stayed = batcher.InsertAsync(Log(staying.UserId, history.Session(now.AddDays(-1), 0.5)), CancellationToken.None);
            await cancel.CancelAsync();
        }
        await first;
        await Assert.ThrowsAsync<OperationCanceledException>(() => left);
        var kept = await stayed;
        var range = new DateRange(now.AddDays(-2), now);

        Assert.IsEmpty(await repository.ListOwnAsync(leaving.UserId, range, null, 10, CancellationToken.None));
        Assert.AreEqual(kept.Id, (await repository.ListOwnAsync(staying.UserId, range, null, 10, CancellationToken.None)).Single().Id);
    }
}
