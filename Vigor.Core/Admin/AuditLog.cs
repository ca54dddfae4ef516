using System.Buffers.Binary;
using System.Text.Json;
using Dapper;
using Npgsql;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Admin;

/// <summary>
/// The admin audit log: who changed what, with the target's state before and after as JSON. Writers pass their own
/// connection and transaction, so the entry commits or rolls back with the change it describes.
/// </summary>
internal sealed class AuditLog(NpgsqlDataSource dataSource)
{
    public const int MaxActionLength = 60;

    public static async Task WriteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, AuditChange change, CancellationToken ct)
        => await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO audit_log (actor_id, action, target, before, after)
            VALUES (@actor, @action, @target, @before::jsonb, @after::jsonb)
            """, new { actor = change.ActorId, action = change.Action, target = change.Target, before = Json(change.Before), after = Json(change.After) }, tx, cancellationToken: ct));

    public async Task<Page<AuditEntry>> ListAsync(string? action, PageRequest page, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition("""
            SELECT a.id, a.actor_id, u.email AS actor_email, a.action, a.target, a.before::text AS before, a.after::text AS after, a.created_at
            FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
            WHERE (@action::text IS NULL OR a.action = @action) AND (@before::bigint IS NULL OR a.id < @before)
            ORDER BY a.id DESC
            LIMIT @limit
            """, new { action, before = page.After is { } cursor ? IdOf(cursor) : (long?)null, limit = page.Limit + 1 }, cancellationToken: ct));
        var entries = rows.Select(r => new AuditEntry(r.Id, r.ActorId, r.ActorEmail, r.Action, r.Target, Parse(r.Before), Parse(r.After), r.CreatedAt)).ToList();
        return Paging.ToPage(entries, page.Limit, e => CursorOf(e.Id));
    }

    private sealed record Row(long Id, Guid? ActorId, string? ActorEmail, string Action, string Target, string? Before, string? After, DateTime CreatedAt);

    private static string? Json(object? state) => state is null ? null : JsonSerializer.Serialize(state, state.GetType(), VigorJson.Options);

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();

    // The API has one opaque cursor format (16 bytes, read as a Guid by Paging); audit rows are numbered, so the
    // number rides in the first 8 bytes.
    private static Guid CursorOf(long id)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, id);
        return new Guid(bytes);
    }

    private static long IdOf(Guid cursor)
    {
        Span<byte> bytes = stackalloc byte[16];
        cursor.TryWriteBytes(bytes);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes);
    }
}
