using System.Buffers;
using System.Text.Json;
using Dapper;
using Npgsql;
using Vigor.Core.Infrastructure.Data;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Workouts.Validation;

namespace Vigor.Core.Workouts;

internal sealed class PlanRepository(NpgsqlDataSource dataSource)
{
    private sealed record Row(Guid Id, string Name, string Goal, string Source, string Days, string Findings, bool HasErrors, DateTime CreatedAt);

    private const string Columns = "id, name, goal, source, days::text AS days, findings::text AS findings, has_errors, created_at";

    /// <summary>
    /// Stores a plan. With an <paramref name="id"/> (a generated plan takes its job's id) a second insert of the same id
    /// stores nothing and returns the first, so an activity that runs twice saves one plan.
    /// </summary>
    public async Task<PlanView> InsertAsync(Guid userId, Plan plan, string source, PlanValidation validation, CancellationToken ct, Guid? id = null)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"""
            INSERT INTO plans (id, user_id, name, goal, source, days, findings, has_errors)
            VALUES (@id, @userId, @Name, @Goal, @source, @days::jsonb, @findings::jsonb, @hasErrors)
            ON CONFLICT (id) DO NOTHING
            RETURNING {Columns}
            """, new
        {
            id = id ?? Guid.CreateVersion7(),
            userId,
            plan.Name,
            plan.Goal,
            source,
            days = DaysJson(plan),
            findings = FindingsJson(validation),
            hasErrors = validation.HasErrors,
        }, cancellationToken: ct));
        return row is not null ? ToView(row) : (await GetOwnAsync(userId, id!.Value, ct))!;
    }

    /// <summary>
    /// A new plan as one statement for another component's batch, stamped <paramref name="createdAt"/>, and the plan as
    /// <see cref="InsertAsync"/> would return it. Only for a plan whose id is new (a job's plan on its one inline completion).
    /// </summary>
    /// <param name="daysJson"><see cref="DaysJson"/> of <paramref name="plan"/>, when the caller has it already.</param>
    /// <param name="findingsJson"><see cref="FindingsJson"/> of <paramref name="validation"/>, likewise.</param>
    public static (PgStatement Write, PlanView Saved) InsertStatement(Guid userId, Plan plan, string source, PlanValidation validation, Guid id, DateTime createdAt,
        string? daysJson = null, string? findingsJson = null)
    {
        var write = new PgStatement("""
            INSERT INTO plans (id, user_id, name, goal, source, days, findings, has_errors, created_at)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9)
            ON CONFLICT (id) DO NOTHING
            """, id, userId, plan.Name, plan.Goal, source, daysJson ?? DaysJson(plan), findingsJson ?? FindingsJson(validation),
            validation.HasErrors, createdAt);
        return (write, new PlanView(id, plan.Name, plan.Goal, source, [.. plan.Days], [.. validation.Findings], validation.HasErrors, createdAt));
    }

    /// <summary>
    /// <paramref name="saved"/> as <see cref="VigorJson.Options"/> writes it, with its days and findings given already
    /// serialised (<see cref="DaysJson"/>, <see cref="FindingsJson"/>): a remembered plan's, the same hit after hit.
    /// </summary>
    public static JsonElement ViewElement(PlanView saved, string daysJson, string findingsJson)
    {
        var buffer = new ArrayBufferWriter<byte>(daysJson.Length + findingsJson.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", saved.Id);
            if (saved.Name is not null)
                writer.WriteString("name", saved.Name);
            if (saved.Goal is not null)
                writer.WriteString("goal", saved.Goal);
            if (saved.Source is not null)
                writer.WriteString("source", saved.Source);
            writer.WritePropertyName("days");
            writer.WriteRawValue(daysJson, skipInputValidation: true);
            writer.WritePropertyName("findings");
            writer.WriteRawValue(findingsJson, skipInputValidation: true);
            writer.WriteBoolean("hasErrors", saved.HasErrors);
            writer.WriteString("createdAt", saved.CreatedAt);
            writer.WriteEndObject();
        }
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>A plan's days as the <c>days</c> column stores them.</summary>
    public static string DaysJson(Plan plan) => JsonSerializer.Serialize(plan.Days, VigorJson.Options);

    /// <summary>A validation's findings as the <c>findings</c> column stores them.</summary>
    public static string FindingsJson(PlanValidation validation) => JsonSerializer.Serialize(validation.Findings, VigorJson.Options);

    public async Task<PlanView?> GetOwnAsync(Guid userId, Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM plans WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct));
        return row is null ? null : ToView(row);
    }

    public async Task<bool> OwnsAsync(Guid userId, Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM plans WHERE id = @id AND user_id = @userId)", new { id, userId }, cancellationToken: ct));
    }

    /// <summary>Newest first; <paramref name="before"/> is the last id of the previous page (ids are time-ordered UUIDv7).</summary>
    public async Task<IReadOnlyList<PlanView>> ListOwnAsync(Guid userId, Guid? before, int limit, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition($"""
            SELECT {Columns} FROM plans
            WHERE user_id = @userId AND (@before::uuid IS NULL OR id < @before)
            ORDER BY id DESC
            LIMIT @limit
            """, new { userId, before, limit }, cancellationToken: ct));
        return rows.Select(ToView).ToList();
    }

    public async Task<bool> DeleteOwnAsync(Guid userId, Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM plans WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct)) > 0;
    }

    private static PlanView ToView(Row row) => new(
        row.Id, row.Name, row.Goal, row.Source,
        JsonSerializer.Deserialize<List<PlanDay>>(row.Days, VigorJson.Options) ?? [],
        JsonSerializer.Deserialize<List<PlanFinding>>(row.Findings, VigorJson.Options) ?? [],
        row.HasErrors, row.CreatedAt);
}
