using System.ComponentModel.DataAnnotations;

namespace Vigor.Core.Reports;

public sealed class ReportsOptions
{
    public const string Section = "Reports";

    /// <summary>Post a short summary of each new scheduled report to the budget alert webhook (<c>Alerts:WebhookUrl</c>).</summary>
    public bool PostToWebhook { get; set; }

    /// <summary>The product goal: AI cost per active user per month stays below this (product.md: $2.50).</summary>
    [Range(typeof(decimal), "0.01", "1000")]
    public decimal CostPerUserGoalUsd { get; set; } = 2.50m;
}
