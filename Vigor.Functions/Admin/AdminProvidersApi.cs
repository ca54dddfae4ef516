using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Admin;
using Vigor.Core.Auth;
using Vigor.Core.Infrastructure.Http;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Admin;

// Bodies are read before the id is looked at, so a bad body is a 400/413/415 whatever the id.
internal sealed class AdminProvidersApi(ProviderAdminService providers, ProviderHealthService health)
{
    private const int MaxBodyBytes = 8 * 1024;

    [Function(nameof(ListProviders))]
    [ApiDoc("Admin", "The LLM providers, by priority (admin role); API keys are never shown, only hasSecret", Response = typeof(IReadOnlyList<ProviderDto>), Errors = [403])]
    public async Task<IResult> ListProviders([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/providers")] HttpRequest req, CancellationToken ct)
        => TypedResults.Ok(await providers.ListAsync(ct));

    [Function(nameof(CreateProvider))]
    [ApiDoc("Admin", "Add an LLM provider (audit-logged); the endpoint must be https on a public host",
        Request = typeof(ProviderRequest), Response = typeof(ProviderDto), Status = 201, Errors = [400, 403, 409, 413, 415])]
    public async Task<IResult> CreateProvider([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/providers")] HttpRequest req, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ProviderRequest>(req, ct, MaxBodyBytes);
        return problem ?? (await providers.CreateAsync(req.GetCaller().UserId, body!, ct)).ToResult(p => TypedResults.Created($"/api/admin/providers/{p.Id}", p));
    }

    [Function(nameof(UpdateProvider))]
    [ApiDoc("Admin", "Replace an LLM provider's settings (audit-logged); the built-in offline coach answers 409",
        Request = typeof(ProviderRequest), Response = typeof(ProviderDto), Errors = [400, 403, 404, 409, 413, 415])]
    public async Task<IResult> UpdateProvider(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/providers/{id}")] HttpRequest req, string id, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ProviderRequest>(req, ct, MaxBodyBytes);
        return problem ?? (await providers.UpdateAsync(req.GetCaller().UserId, id, body!, ct)).ToResult(TypedResults.Ok);
    }

    [Function(nameof(DeleteProvider))]
    [ApiDoc("Admin", "Remove an LLM provider (audit-logged); the built-in offline coach answers 409", Status = 204, Errors = [403, 404, 409])]
    public async Task<IResult> DeleteProvider(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/admin/providers/{id}")] HttpRequest req, string id, CancellationToken ct)
        => (await providers.DeleteAsync(req.GetCaller().UserId, id, ct)).ToResult(_ => TypedResults.NoContent());

    [Function(nameof(SetProviderSecret))]
    [ApiDoc("Admin", "Store a provider's API key in Key Vault; it is never returned or logged, the audit log says only that it was set",
        Request = typeof(ProviderSecretRequest), Response = typeof(ProviderDto), Errors = [400, 403, 404, 409, 413, 415])]
    public async Task<IResult> SetProviderSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/providers/{id}/secret")] HttpRequest req, string id, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ProviderSecretRequest>(req, ct, MaxBodyBytes);
        return problem ?? (await providers.SetSecretAsync(req.GetCaller().UserId, id, body!, ct)).ToResult(TypedResults.Ok);
    }

    [Function(nameof(GetProviderHealth))]
    [ApiDoc("Admin", "Per provider: circuit-breaker state, error rate, p50/p95 latency, cost per 1,000 requests (24 h) and the last probe",
        Response = typeof(IReadOnlyList<ProviderHealth>), Errors = [403])]
    public async Task<IResult> GetProviderHealth(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/providers/health")] HttpRequest req, CancellationToken ct)
        => TypedResults.Ok(await health.GetAsync(ct));
}
