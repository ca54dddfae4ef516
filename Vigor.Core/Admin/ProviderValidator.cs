using Vigor.Core.Infrastructure.Http;
using Vigor.Core.Llm;

namespace Vigor.Core.Admin;

/// <summary>The rules for a provider body; field names are the JSON names the client sent.</summary>
internal static class ProviderValidator
{
    public const decimal MaxPricePerMillion = 1000m;

    // budget_settings and llm_providers keep money as numeric(12, 6): below a million dollars.
    public const decimal MaxUsd = 999_999m;

    /// <summary>The kinds an admin may create; the offline coach is built in.</summary>
    public static readonly string[] CreatableKinds = [ProviderKinds.OpenAi, ProviderKinds.AzureOpenAi, ProviderKinds.OpenAiCompatible, ProviderKinds.Anthropic];

    public static FieldErrors Validate(ProviderRequest body, IReadOnlyCollection<string> tierNames, ProviderEndpointOptions endpoints)
    {
        var errors = new FieldErrors();
        errors.Text(body.Name, "name", 60, required: true);
        errors.Text(body.Model, "model", 100, required: true);
        if (body.Kind is null)
            errors.Add("kind", "is required.");
        else if (body.Kind == ProviderKinds.Offline)
            errors.Add("kind", "offline is the built-in coach: it cannot be created or given to another provider.");
        else
            errors.Check(CreatableKinds.Contains(body.Kind), "kind", $"must be one of: {string.Join(", ", CreatableKinds)}.");

        var needsEndpoint = body.Kind is ProviderKinds.AzureOpenAi or ProviderKinds.OpenAiCompatible;
        if (string.IsNullOrWhiteSpace(body.Endpoint))
            errors.Check(!needsEndpoint, "endpoint", $"is required for kind {body.Kind}.");
        else if (body.Endpoint.Length > ProviderEndpointPolicy.MaxLength)
            errors.Add("endpoint", $"must be at most {ProviderEndpointPolicy.MaxLength} characters.");
        else if (ProviderEndpointPolicy.Check(body.Endpoint.Trim(), endpoints) is { } endpointProblem)
            errors.Add("endpoint", endpointProblem);

        if (body.ApiVersion is not null)
        {
            errors.Check(body.Kind == ProviderKinds.AzureOpenAi, "apiVersion", "applies to azure-openai only.");
            errors.Check(body.ApiVersion.Length is >= 1 and <= 40 && body.ApiVersion.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'),
                "apiVersion", "must be 1-40 letters, digits, dots or dashes (e.g. 2024-10-21).");
        }
        errors.Check(body.UseManagedIdentity != true || body.Kind == ProviderKinds.AzureOpenAi, "useManagedIdentity", "applies to azure-openai only.");
        errors.Range(body.Priority, 0, 10_000, "priority");
        errors.Range(body.TimeoutSeconds, 1, 300, "timeoutSeconds");
        Money(errors, body.InputPricePerMillion, MaxPricePerMillion, "inputPricePerMillion", required: true);
        Money(errors, body.OutputPricePerMillion, MaxPricePerMillion, "outputPricePerMillion", required: true);
        Money(errors, body.DailyCapUsd, MaxUsd, "dailyCapUsd");
        Money(errors, body.MonthlyCapUsd, MaxUsd, "monthlyCapUsd");
        Tiers(errors, body.Tiers, tierNames);
        return errors;
    }

    public static void Money(FieldErrors errors, decimal? value, decimal max, string field, bool required = false)
    {
        if (value is null)
            errors.Check(!required, field, "is required.");
        else
            errors.Check(value >= 0 && value <= max, field, $"must be between 0 and {max:0.##}.");
    }

    private static void Tiers(FieldErrors errors, string[]? tiers, IReadOnlyCollection<string> known)
    {
        if (tiers is null)
            return;
        if (tiers.Length == 0 || tiers.Length > known.Count * 2)
        {
            errors.Add("tiers", $"must list 1 to {known.Count} tiers (disable a provider with enabled: false).");
            return;
        }
        for (var i = 0; i < tiers.Length; i++)
            errors.Check(tiers[i] is not null && known.Contains(tiers[i]), $"tiers[{i}]", $"must be one of: {string.Join(", ", known)}.");
    }
}
