using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigor.Core.Infrastructure.Secrets;

namespace Vigor.Core.Usage.Budgets;

/// <summary>
/// Posts <c>{"text": "..."}</c>, which Teams and Slack incoming webhooks both take. The URL carries its own credential,
/// so it comes from the secret store (<c>alerts-webhook-url</c>), else from <c>Alerts:WebhookUrl</c>, and is never logged.
/// </summary>
internal sealed class BudgetWebhook(IHttpClientFactory httpClients, ISecretStore secrets, IOptions<AlertsOptions> options, ILogger<BudgetWebhook> logger)
{
    public const string ClientName = "budget-webhook";
    public const string SecretName = "alerts-webhook-url";

    public async Task<Uri?> UrlAsync(CancellationToken ct)
        => await secrets.GetAsync(SecretName, ct) is { Length: > 0 } secret && Uri.TryCreate(secret, UriKind.Absolute, out var url)
            ? url
            : options.Value.WebhookUrl;

    /// <summary>True when the webhook took the message; a failure is logged, never thrown.</summary>
    public async Task<bool> PostAsync(Uri url, string text, CancellationToken ct)
    {
        try
        {
            using var response = await httpClients.CreateClient(ClientName).PostAsJsonAsync(url, new { text }, ct);
            if (response.IsSuccessStatusCode)
                return true;
            UsageLog.WebhookRefused(logger, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            UsageLog.WebhookFailed(logger, e.GetType().Name);
        }
        return false;
    }
}
