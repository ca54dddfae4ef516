using Microsoft.Extensions.Options;
using Vigor.Core.Infrastructure;
using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Infrastructure.Secrets;
using Vigor.Core.Llm.Gateway;
using Vigor.Core.Usage;

namespace Vigor.Core.Admin;

/// <summary>
/// Admin management of LLM providers: validate, change, audit. The built-in offline coach is read-only (the
/// router always puts it last, whatever its priority or switch say); API keys go to the secret store only.
/// </summary>
internal sealed class ProviderAdminService(
    ProviderRepository providers, ProviderAdminRepository store, TierRepository tiers, ISecretStore secrets, IOptions<ProviderEndpointOptions> endpoints)
{
    public const int MaxApiKeyLength = 4096;

    public async Task<IReadOnlyList<ProviderDto>> ListAsync(CancellationToken ct)
        => (await providers.ListAsync(ct)).Select(ProviderDto.From).ToList();

    public async Task<Outcome<ProviderDto>> CreateAsync(Guid actor, ProviderRequest body, CancellationToken ct)
    {
        var (row, problem) = await ToRowAsync(Guid.CreateVersion7(), body, ct);
        return problem ?? Map(await store.CreateAsync(row!, actor, ct));
    }

    public async Task<Outcome<ProviderDto>> UpdateAsync(Guid actor, string id, ProviderRequest body, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var providerId))
            return Problems.NotFound("provider");
        var (row, problem) = await ToRowAsync(providerId, body, ct);
        return problem ?? Map(await store.UpdateAsync(row!, actor, ct));
    }

    public async Task<Outcome<ProviderDto>> DeleteAsync(Guid actor, string id, CancellationToken ct)
        => Guid.TryParse(id, out var providerId) ? Map(await store.DeleteAsync(providerId, actor, ct)) : Problems.NotFound("provider");

    public async Task<Outcome<ProviderDto>> SetSecretAsync(Guid actor, string id, ProviderSecretRequest body, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(body.ApiKey))
            errors.Add("apiKey", "is required.");
        else
            errors.Check(body.ApiKey.Length <= MaxApiKeyLength && !body.ApiKey.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)),
                "apiKey", $"must be at most {MaxApiKeyLength} characters, without spaces or control characters.");
        if (!errors.IsEmpty)
            return errors.ToProblem();
        if (!Guid.TryParse(id, out var providerId) || await providers.GetAsync(providerId, ct) is not { } row)
            return Problems.NotFound("provider");
        if (row.IsOffline)
            return BuiltIn();

        // The secret store first: has_secret must never claim a key that is not there.
        await secrets.SetAsync(row.SecretName, body.ApiKey!, ct);
        return Map(await store.MarkSecretSetAsync(providerId, actor, ct));
    }

    private async Task<(ProviderRow? Row, ProblemResult? Problem)> ToRowAsync(Guid id, ProviderRequest body, CancellationToken ct)
    {
        var tierNames = (await tiers.ListAsync(ct)).Select(t => t.Name).ToArray();
        var errors = ProviderValidator.Validate(body, tierNames, endpoints.Value);
        if (!errors.IsEmpty)
            return (null, errors.ToProblem());
        return (new ProviderRow
        {
            Id = id,
            Name = body.Name!.Trim(),
            Kind = body.Kind!,
            Endpoint = string.IsNullOrWhiteSpace(body.Endpoint) ? null : body.Endpoint.Trim(),
            Model = body.Model!.Trim(),
            ApiVersion = body.ApiVersion,
            UseManagedIdentity = body.UseManagedIdentity ?? false,
            Priority = body.Priority ?? 100,
            Enabled = body.Enabled ?? true,
            Tiers = body.Tiers?.Distinct(StringComparer.Ordinal).ToArray() ?? tierNames,
            InputPricePerMillion = body.InputPricePerMillion!.Value,
            OutputPricePerMillion = body.OutputPricePerMillion!.Value,
            TimeoutSeconds = body.TimeoutSeconds ?? 30,
            DailyCapUsd = body.DailyCapUsd,
            MonthlyCapUsd = body.MonthlyCapUsd,
        }, null);
    }

    private static Outcome<ProviderDto> Map((ProviderAdminRepository.Result Result, ProviderRow? Row) change) => change.Result switch
    {
        ProviderAdminRepository.Result.Done => ProviderDto.From(change.Row!),
        ProviderAdminRepository.Result.NotFound => Problems.NotFound("provider"),
        ProviderAdminRepository.Result.BuiltIn => BuiltIn(),
        ProviderAdminRepository.Result.DuplicateName => Problems.Create(409, "provider_name_taken", "A provider with that name exists.", "Provider names are unique; pick another."),
        _ => throw new InvalidOperationException($"Unknown result {change.Result}."),
    };

    private static ProblemResult BuiltIn() => Problems.Create(409, "provider_built_in", "The offline coach is built in.",
        "The offline coach cannot be changed, given a key or deleted: it is always the last provider in every chain.");
}
