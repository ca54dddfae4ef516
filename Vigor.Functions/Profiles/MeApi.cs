using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Auth;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Profiles;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Profiles;

internal sealed class MeApi(ProfileService profiles)
{
    [Function(nameof(GetMe))]
    [ApiDoc("Accounts", "The caller: account, tier and profile", Response = typeof(MeResponse))]
    public async Task<IResult> GetMe([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/me")] HttpRequest req, CancellationToken ct)
        => (await profiles.GetMeAsync(req.GetCaller().UserId, ct)).ToResult(TypedResults.Ok);

    [Function(nameof(UpdateProfile))]
    [ApiDoc("Accounts", "Replace the caller's training profile (tier, role and email are not writable here)",
        Request = typeof(ProfileUpdate), Response = typeof(Profile), Errors = [400, 413, 415])]
    public async Task<IResult> UpdateProfile([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/me/profile")] HttpRequest req, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ProfileUpdate>(req, ct);
        if (problem is not null)
            return problem;
        return (await profiles.UpdateAsync(req.GetCaller().UserId, body!, ct)).ToResult(TypedResults.Ok);
    }
}
