namespace Vigor.Core.Usage.Budgets;

public sealed class AlertsOptions
{
    public const string Section = "Alerts";

    /// <summary>Teams or Slack incoming webhook for budget alerts; the secret <c>alerts-webhook-url</c> wins when present.</summary>
    public Uri? WebhookUrl { get; set; }
}
