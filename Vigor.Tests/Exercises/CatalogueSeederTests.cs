using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vigor.Core.Exercises;
using Vigor.Tests.Support;

namespace Vigor.Tests.Exercises;

[TestClass]
public sealed class CatalogueSeederTests
{
    private static TestHost Host => SharedHost.Host;

    [TestMethod]
    public async Task Startup_SeedsEveryCatalogueExercise_WithColumnsAndJsonCopy()
    {
        await using var conn = new NpgsqlConnection(Host.ConnectionString);

        var count = await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM exercises");
        var squat = await conn.QuerySingleAsync<(string Name, string Pattern, string DataName)>(
            "SELECT name, pattern, data->>'name' FROM exercises WHERE id = 'barbell-back-squat'");
        var equipment = await conn.ExecuteScalarAsync<string[]>("SELECT equipment FROM exercises WHERE id = 'barbell-back-squat'");

        Assert.AreEqual(ExerciseCatalogue.Default.All.Count, count);
        Assert.AreEqual("Barbell Back Squat", squat.Name);
        CollectionAssert.AreEqual(new[] { "barbell" }, equipment);
        Assert.AreEqual("squat", squat.Pattern);
        Assert.AreEqual(squat.Name, squat.DataName);
    }

    [TestMethod]
    public async Task Seed_AgainAfterStartup_ChangesNothing_AndRepairsDrift()
    {
        var seeder = Host.Services.GetRequiredService<CatalogueSeeder>();
        var unchanged = await seeder.SeedAsync(CancellationToken.None);
        await using var conn = new NpgsqlConnection(Host.ConnectionString);
        await conn.ExecuteAsync("INSERT INTO exercises (id, name, primary_muscles, secondary_muscles, equipment, level, mechanic, pattern, loads_areas, instructions, data) "
                                + "VALUES ('retired-lift', 'Retired', '{}', '{}', '{}', 'beginner', 'compound', 'squat', '{}', '{}', '{}')");

        var repaired = await seeder.SeedAsync(CancellationToken.None);

        Assert.AreEqual(0, unchanged);
        Assert.AreEqual(1, repaired);
        Assert.AreEqual(0, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM exercises WHERE id = 'retired-lift'"));
    }
}
