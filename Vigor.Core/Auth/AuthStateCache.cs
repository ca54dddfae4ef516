using Microsoft.Extensions.Options;
using Vigor.Core.Infrastructure.Caching;

namespace Vigor.Core.Auth;

/// <summary>
/// The role and status of recently seen users, so a request need not read them from PostgreSQL each time, and still
/// exact (<see cref="ExactUserCache{T}"/>): admin changes invalidate in process, and the users triggers of migration 0012
/// notify <see cref="AuthChannel"/> at commit for changes made anywhere. Off with <c>Auth:StateCache=false</c>.
/// </summary>
public sealed class AuthStateCache(TimeProvider time, IOptions<AuthOptions> options)
    : ExactUserCache<(string Role, string Status)>(time, AuthChannel, options.Value.StateCache, TimeSpan.FromMinutes(5))
{
    public const string AuthChannel = "vigor_user_auth";

    public bool TryGet(Guid userId, out (string Role, string Status) state) => TryGet(userId, 0, DateTimeOffset.MinValue, out state);

    public void Store(Guid userId, (string Role, string Status) state, Ticket ticket) =>
        Store(userId, 0, state, ticket, DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
}
