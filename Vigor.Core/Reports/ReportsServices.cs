using Microsoft.Extensions.DependencyInjection;

namespace Vigor.Core.Reports;

public static class ReportsServices
{
    /// <summary>Scheduled cost reports: built from the ledger, stored in <c>cost_reports</c>, served as JSON, CSV and HTML.</summary>
    public static IServiceCollection AddVigorReports(this IServiceCollection services)
    {
        services.AddOptions<ReportsOptions>().BindConfiguration(ReportsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CostReportLedger>();
        services.AddSingleton<CostReportBuilder>();
        services.AddSingleton<CostReportRepository>();
        services.AddSingleton<CostReportNotifier>();
        services.AddSingleton<CostReportService>();
        return services;
    }
}
