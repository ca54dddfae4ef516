namespace Vigor.Core.Infrastructure.Http;

/// <summary>Ids in paths: anything that is not a UUID names no resource, so it answers 404 like another user's id.</summary>
public static class ResourceId
{
    public static Guid? TryParse(string? id)
        => id is { Length: <= 64 } && Guid.TryParse(id, out var value) ? value : null;
}
