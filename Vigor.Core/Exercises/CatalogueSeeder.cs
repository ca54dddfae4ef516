using System.Text.Json;
using Dapper;
using Npgsql;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Exercises;

/// <summary>
/// Mirrors the embedded catalogue into the <c>exercises</c> table at startup, so SQL (reports, joins) sees the same
/// exercises the API serves. Idempotent: unchanged rows are not rewritten, and entries gone from the catalogue are removed.
/// </summary>
internal sealed class CatalogueSeeder(NpgsqlDataSource dataSource, ExerciseCatalogue catalogue)
{
    public async Task<int> SeedAsync(CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(catalogue.All, VigorJson.Options);
        var ids = catalogue.All.Select(e => e.Id).ToArray();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var changed = await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO exercises (id, name, primary_muscles, secondary_muscles, equipment, level, mechanic, pattern, loads_areas, instructions, data)
            SELECT e->>'id', e->>'name',
                   ARRAY(SELECT jsonb_array_elements_text(e->'primaryMuscles')),
                   ARRAY(SELECT jsonb_array_elements_text(e->'secondaryMuscles')),
                   ARRAY(SELECT jsonb_array_elements_text(e->'equipment')),
                   e->>'level', e->>'mechanic', e->>'pattern',
                   ARRAY(SELECT jsonb_array_elements_text(e->'loadsAreas')),
                   ARRAY(SELECT jsonb_array_elements_text(e->'instructions')),
                   e
            FROM jsonb_array_elements(@json::jsonb) AS e
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name, primary_muscles = excluded.primary_muscles, secondary_muscles = excluded.secondary_muscles,
                equipment = excluded.equipment, level = excluded.level, mechanic = excluded.mechanic, pattern = excluded.pattern,
                loads_areas = excluded.loads_areas, instructions = excluded.instructions, data = excluded.data, updated_at = now()
            WHERE exercises.data IS DISTINCT FROM excluded.data
            """, new { json }, tx, cancellationToken: ct));
        changed += await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM exercises WHERE NOT (id = ANY(@ids))", new { ids }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return changed;
    }
}
