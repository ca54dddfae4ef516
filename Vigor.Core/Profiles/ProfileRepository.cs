using System.Text.Json;
using Dapper;
using Npgsql;
using Vigor.Core.Infrastructure.Data;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Core.Profiles;

internal sealed class ProfileRepository(NpgsqlDataSource dataSource)
{
    // Classes, not positional records: Dapper hands text[] columns over as System.Array, which only a property setter accepts.
    private class Row
    {
        public string? FitnessLevel { get; init; }
        public string[]? Goals { get; init; }
        public string[]? Equipment { get; init; }
        public string? Injuries { get; init; }
        public int? DaysPerWeek { get; init; }
        public int? SessionMinutes { get; init; }
        public string? Units { get; init; }
        public string? Screening { get; init; }
        public DateTime? UpdatedAt { get; init; }
    }

    private sealed class MeRow : Row
    {
        public Guid Id { get; init; }
        public string Email { get; init; } = "";
        public string? DisplayName { get; init; }
        public string Role { get; init; } = "";
        public string Tier { get; init; } = "";
        public bool IsMinor { get; init; }
        public string Status { get; init; } = "";
        public DateTime CreatedAt { get; init; }

        // Only MeWithVersionsRead reads these: the row versions (xmin) of the user, the profile and the user's tier.
        public long UserVersion { get; init; }
        public long? ProfileVersion { get; init; }
        public long? TierVersion { get; init; }
    }

    public async Task<MeResponse?> GetMeAsync(Guid userId, CancellationToken ct)
    {
        var read = MeRead(userId);
        await PgBatch.ExecuteAsync(dataSource, [read.Statement], ct);
        return read.Result;
    }

    private const string MeColumns = """
        u.id, u.email, u.display_name, u.role, u.tier, u.is_minor, u.status, u.created_at,
        p.fitness_level, p.goals, p.equipment, p.injuries::text AS injuries, p.days_per_week, p.session_minutes,
        p.units, p.screening::text AS screening, p.updated_at
        """;

    /// <summary><see cref="GetMeAsync"/> as a statement that travels in another component's batch; <see cref="Me.Result"/> once it ran.</summary>
    public static Me MeRead(Guid userId) => Me.Of($"""
        SELECT {MeColumns}
        FROM users u LEFT JOIN profiles p ON p.user_id = u.id
        WHERE u.id = $1
        """, userId);

    /// <summary>
    /// <see cref="MeRead"/> with the version (xmin) of the user's row, the profile's and the user's tier's: what a feature
    /// builds an AI request from, which <see cref="Llm.Gateway.LlmHitContexts"/> keeps and the database checks again later.
    /// </summary>
    public static Me MeWithVersionsRead(Guid userId) => Me.Of($"""
        SELECT {MeColumns},
               u.xmin::text::bigint AS user_version, p.xmin::text::bigint AS profile_version, t.xmin::text::bigint AS tier_version
        FROM users u LEFT JOIN profiles p ON p.user_id = u.id LEFT JOIN tiers t ON t.name = u.tier
        WHERE u.id = $1
        """, userId);

    public sealed class Me
    {
        private readonly PgQuery<MeRow> query;

        private Me(PgQuery<MeRow> query) => this.query = query;

        internal static Me Of(string sql, Guid userId) => new(new PgQuery<MeRow>(sql, userId));

        public PgStatement Statement => query;

        public MeResponse? Result => query.Results.SingleOrDefault() is { } row
            ? new MeResponse(row.Id, row.Email, row.DisplayName, row.Role, row.Tier, row.IsMinor, row.Status, ToProfile(row, row.CreatedAt), row.CreatedAt)
            : null;

        /// <summary>The row versions, when the read was <see cref="MeWithVersionsRead"/> and found the user and its tier.</summary>
        public Llm.Gateway.RowVersions? Versions => query.Results.SingleOrDefault() is { TierVersion: { } tier } row
            ? new Llm.Gateway.RowVersions(row.UserVersion, row.ProfileVersion, tier)
            : null;
    }

    public async Task<Profile> UpsertAsync(Guid userId, Profile profile, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleAsync<Row>(new CommandDefinition("""
            INSERT INTO profiles (user_id, fitness_level, goals, equipment, injuries, days_per_week, session_minutes, units, screening, updated_at)
            VALUES (@userId, @FitnessLevel, @Goals, @Equipment, @Injuries::jsonb, @DaysPerWeek, @SessionMinutes, @Units, @Screening::jsonb, now())
            ON CONFLICT (user_id) DO UPDATE SET
                fitness_level = excluded.fitness_level, goals = excluded.goals, equipment = excluded.equipment,
                injuries = excluded.injuries, days_per_week = excluded.days_per_week, session_minutes = excluded.session_minutes,
                units = excluded.units, screening = excluded.screening, updated_at = now()
            RETURNING fitness_level, goals, equipment, injuries::text AS injuries, days_per_week, session_minutes, units,
                      screening::text AS screening, updated_at
            """, new
        {
            userId,
            profile.FitnessLevel,
            profile.Goals,
            profile.Equipment,
            Injuries = JsonSerializer.Serialize(profile.Injuries, VigorJson.Options),
            profile.DaysPerWeek,
            profile.SessionMinutes,
            profile.Units,
            Screening = JsonSerializer.Serialize(profile.Screening, VigorJson.Options),
        }, cancellationToken: ct));
        return ToProfile(row, DateTime.UtcNow);
    }

    private static Profile ToProfile(Row row, DateTime fallbackTime) => new(
        row.FitnessLevel, row.Goals ?? [], row.Equipment ?? [],
        JsonSerializer.Deserialize<Injury[]>(row.Injuries ?? "[]", VigorJson.Options) ?? [],
        row.DaysPerWeek, row.SessionMinutes, row.Units ?? "metric",
        JsonSerializer.Deserialize<Dictionary<string, bool>>(row.Screening ?? "{}", VigorJson.Options) ?? [],
        row.UpdatedAt ?? fallbackTime);
}
