using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Infrastructure.Data;
using Vigor.Tests.Support;

namespace Vigor.Tests.Infrastructure;

/// <summary>PgBatch: several components' statements in one round trip, committed together or not at all.</summary>
[TestClass]
public sealed class PgBatchTests
{
    private static NpgsqlDataSource Data => SharedHost.Host.Services.GetRequiredService<NpgsqlDataSource>();

    [TestMethod]
    public async Task Batch_ReturnsEachStatementsRowsAndChanges_InOrder()
    {
        var user = await SharedHost.Host.RegisterAsync();
        var id = "batch-" + Guid.NewGuid().ToString("N");

        var result = await PgBatch.ExecuteAsync(Data,
        [
            new PgStatement("INSERT INTO jobs (id, user_id, kind) VALUES ($1, $2, 'batch')", id, user.UserId),
            new PgStatement("SELECT kind, user_id FROM jobs WHERE id = $1", id) { ReturnsRows = true },
            new PgStatement("UPDATE jobs SET handed_over = true WHERE id = $1 AND handed_over", id),
            new PgStatement("SELECT n FROM generate_series(1, $1) AS n", 3) { ReturnsRows = true },
        ], CancellationToken.None);

        Assert.AreEqual((1, 0), (result.RecordsAffected[0], result.RecordsAffected[2]), "rows changed by each write");
        Assert.AreEqual(0, result.Rows[0].Count);
        Assert.AreEqual("batch", result.Rows[1].Single()[0]);
        Assert.AreEqual(user.UserId, result.Rows[1].Single()[1], "a later statement sees an earlier one's write");
        Assert.AreEqual(0, result.Rows[2].Count);
        CollectionAssert.AreEqual(new object?[] { 1, 2, 3 }, result.Rows[3].Select(r => r[0]).ToArray());
    }

    [TestMethod]
    public async Task Batch_AFailingStatement_RollsBackTheStatementsBeforeIt()
    {
        var user = await SharedHost.Host.RegisterAsync();
        var id = "batch-" + Guid.NewGuid().ToString("N");

        await Assert.ThrowsExactlyAsync<PostgresException>(() => PgBatch.ExecuteAsync(Data,
        [
            new PgStatement("INSERT INTO jobs (id, user_id, kind) VALUES ($1, $2, 'batch')", id, user.UserId),
            new PgStatement("INSERT INTO jobs (id, user_id, kind) VALUES ($1, $2, 'batch')", id, user.UserId),
        ], CancellationToken.None));

        await using var conn = await Data.OpenConnectionAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM jobs WHERE id = $1", conn) { Parameters = { new() { Value = id } } };
        Assert.AreEqual(0L, await count.ExecuteScalarAsync(), "the first insert went with the failed second");
    }
}
