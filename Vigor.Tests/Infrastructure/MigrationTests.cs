using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Vigor.Core.Infrastructure.Data;
using Vigor.Tests.Support;

namespace Vigor.Tests.Infrastructure;

[TestClass]
public sealed class MigrationTests
{
    /// <summary>A fresh database with every migration applied, dropped after <paramref name="test"/>.</summary>
    private static async Task OnMigratedDatabaseAsync(string purpose, Func<NpgsqlConnection, Task> test)
    {
        var cs = await TestEnvironment.CreateDatabaseAsync(purpose);
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(cs);
            await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
            await using var conn = await dataSource.OpenConnectionAsync();
            await test(conn);
        }
        finally
        {
            await TestEnvironment.DropDatabaseAsync(cs);
        }
    }

    [TestMethod]
    public async Task Migrate_AppliesAllOnEmptyDatabase_ThenIsANoOp()
    {
        var cs = await TestEnvironment.CreateDatabaseAsync("migrate");
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(cs);
            var runner = new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance);

            var first = await runner.MigrateAsync(CancellationToken.None);
            var second = await runner.MigrateAsync(CancellationToken.None);

            Assert.AreEqual(MigrationRunner.LoadMigrations().Count, first);
            Assert.AreEqual(0, second);
            await using var conn = await dataSource.OpenConnectionAsync();
            Assert.AreEqual(1, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM information_schema.tables WHERE table_name = 'users'"));
        }
        finally
        {
            await TestEnvironment.DropDatabaseAsync(cs);
        }
    }

    [TestMethod]
    public async Task HotPathFunctions_PlanOncePerConnection_LargeDocumentsUseLz4()
    {
        // A later CREATE OR REPLACE without the SET clause would silently drop it, and the gateway's counter calls would
        // go back to planning every statement on every call (migration 0024).
        await OnMigratedDatabaseAsync("plans", async conn =>
        {
            var generic = (await conn.QueryAsync<string>(
                "SELECT proname FROM pg_proc WHERE 'plan_cache_mode=force_generic_plan' = ANY (proconfig) ORDER BY proname")).ToList();

            CollectionAssert.IsSubsetOf(
                new[] { "counter_apply_many", "counter_apply_together", "insert_workout_log", "insert_workout_logs", "llm_cache_hit_guard" }, generic);
            // Migration 0026: this server has lz4 (Debian's PostgreSQL is built with it), so the large documents use it.
            var lz4 = (await conn.QueryAsync<string>(
                "SELECT attrelid::regclass || '.' || attname FROM pg_attribute WHERE attcompression = 'l' ORDER BY 1")).ToList();
            CollectionAssert.AreEquivalent(
                new[] { "cost_reports.body", "jobs.input", "jobs.result", "llm_cache.response", "plans.days", "workout_logs.exercises" }, lz4);
        });
    }

    [TestMethod]
    public async Task ACoachMessagesTouchOfItsConversation_IsAHotUpdate()
    {
        // Migration 0029: no index holds updated_at, so touching it writes no index entry (twice per coach message).
        await OnMigratedDatabaseAsync("hot", async conn =>
        {
            await using var tx = await conn.BeginTransactionAsync();
            // No user row in this bare database: the foreign key's trigger is off for this transaction only.
            await conn.ExecuteAsync("SET LOCAL session_replication_role = replica", transaction: tx);
            var id = Guid.CreateVersion7();
            await conn.ExecuteAsync("INSERT INTO coach_conversations (id, user_id, title) VALUES (@id, @user, 'Squats')",
                new { id, user = Guid.NewGuid() }, tx);
            await conn.ExecuteAsync("UPDATE coach_conversations SET updated_at = now() + interval '1 second' WHERE id = @id", new { id }, tx);
            var (updated, hot) = await conn.QuerySingleAsync<(long, long)>(
                "SELECT pg_stat_get_xact_tuples_updated('coach_conversations'::regclass), pg_stat_get_xact_tuples_hot_updated('coach_conversations'::regclass)",
                transaction: tx);

            Assert.AreEqual((1L, 1L), (updated, hot));
        });
    }

    [TestMethod]
    public async Task Migrate_TwoHostsAtOnce_DoNotRace()
    {
        var cs = await TestEnvironment.CreateDatabaseAsync("race");
        try
        {
            await using var a = NpgsqlDataSource.Create(cs);
            await using var b = NpgsqlDataSource.Create(cs);

            var counts = await Task.WhenAll(
                new MigrationRunner(a, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None),
                new MigrationRunner(b, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None));

            Assert.AreEqual(MigrationRunner.LoadMigrations().Count, counts.Sum(), "each migration is applied exactly once between the two");
            await using var conn = await a.OpenConnectionAsync();
            Assert.AreEqual(MigrationRunner.LoadMigrations().Count, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
        }
        finally
        {
            await TestEnvironment.DropDatabaseAsync(cs);
        }
    }

    [TestMethod]
    public async Task TwoLocalHosts_StartingAtOnceOnOneDatabase_BothServe()
    {
        var cs = await TestEnvironment.CreateDatabaseAsync("hosts");
        try
        {
            var hosts = await Task.WhenAll(TestHost.StartAsync("h1", connectionString: cs), TestHost.StartAsync("h2", connectionString: cs));
            try
            {
                // Readiness includes a Durable ping whose first run after start-up (gRPC warm-up, JIT) can pass the
                // check's 5 s on a loaded machine: a host is ready once it answers 200, within a minute.
                foreach (var host in hosts)
                    Assert.AreEqual(System.Net.HttpStatusCode.OK, await ReadyAsync(host));
            }
            finally
            {
                foreach (var host in hosts)
                    await host.DisposeAsync();
            }
        }
        finally
        {
            await TestEnvironment.DropDatabaseAsync(cs);
        }
    }

    [TestMethod]
    public void Migrations_AreNumberedWithoutGapsOrDuplicates()
    {
        var versions = MigrationRunner.LoadMigrations().Select(m => m.Version).ToList();

        CollectionAssert.AreEqual(Enumerable.Range(1, versions.Count).ToList(), versions);
    }

    private static async Task<System.Net.HttpStatusCode> ReadyAsync(TestHost host)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var status = (await host.Client.GetAsync("/api/health/ready")).StatusCode;
            if (status == System.Net.HttpStatusCode.OK || DateTime.UtcNow > deadline)
                return status;
            await Task.Delay(500);
        }
    }
}
