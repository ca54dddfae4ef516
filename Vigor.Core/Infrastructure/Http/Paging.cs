using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace Vigor.Core.Infrastructure.Http;

/// <summary>A page of a list; <c>nextCursor</c> is opaque and absent on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

public readonly record struct PageRequest(int Limit, Guid? After);

public static class Paging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>Reads <c>limit</c> (1-100) and <c>cursor</c> (keyset on a time-ordered id).</summary>
    public static (PageRequest Value, ProblemResult? Problem) Read(IQueryCollection query)
    {
        var limit = DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } rawLimit
            && (!int.TryParse(rawLimit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
            return (default, Problems.Validation("limit", $"must be a whole number from 1 to {MaxLimit}."));
        Guid? after = null;
        if (query["cursor"].ToString() is { Length: > 0 } rawCursor)
        {
            if (rawCursor.Length > 64 || !TryDecode(rawCursor, out var id))
                return (default, Problems.Validation("cursor", "is not a cursor this API issued."));
            after = id;
        }
        return (new PageRequest(limit, after), null);
    }

    public static Page<T> ToPage<T>(IReadOnlyList<T> rows, int limit, Func<T, Guid> id)
        => rows.Count > limit
            ? new Page<T>(rows.Take(limit).ToList(), Base64UrlEncoder.Encode(id(rows[limit - 1]).ToByteArray()))
            : new Page<T>(rows, null);

    private static bool TryDecode(string cursor, out Guid id)
    {
        id = Guid.Empty;
        try
        {
            var bytes = Base64UrlEncoder.DecodeBytes(cursor);
            if (bytes.Length != 16)
                return false;
            id = new Guid(bytes);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
