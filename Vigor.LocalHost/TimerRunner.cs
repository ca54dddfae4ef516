using Cronos;
using Microsoft.Azure.Functions.Worker;
using Vigor.Functions.Infrastructure;

namespace Vigor.LocalHost;

/// <summary>
/// Runs the timer functions of Vigor.Functions on their cron schedules (six fields, with seconds, as in Azure
/// Functions; <c>%Setting%</c> names resolve from configuration) and on demand through <c>POST /admin/functions/{name}</c>.
/// </summary>
internal sealed partial class TimerRunner(FunctionInvoker invoker, IConfiguration configuration, TimeProvider time, ILogger<TimerRunner> logger)
    : BackgroundService
{
    public async Task<bool> RunNowAsync(string name, CancellationToken ct)
    {
        var timer = FunctionCatalog.Timers.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (timer is null)
            return false;
        await invoker.InvokeTimerAsync(timer.Name, timer.Method, new TimerInfo(), ct);
        return true;
    }

    public CronExpression Schedule(TimerFunction timer)
    {
        var expression = timer.Schedule;
        if (expression.StartsWith('%') && expression.EndsWith('%'))
        {
            var setting = expression.Trim('%');
            expression = configuration[setting]
                         ?? throw new InvalidOperationException($"Setting '{setting}' (the schedule of timer function {timer.Name}) is missing.");
        }
        return CronExpression.Parse(expression, CronFormat.IncludeSeconds);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(FunctionCatalog.Timers.Select(t => RunOnScheduleAsync(t, Schedule(t), stoppingToken)));

    private async Task RunOnScheduleAsync(TimerFunction timer, CronExpression schedule, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = schedule.GetNextOccurrence(now, TimeZoneInfo.Utc);
            if (next is null)
                return;
            try
            {
                await Task.Delay(next.Value - now, time, ct);
                await invoker.InvokeTimerAsync(timer.Name, timer.Method, new TimerInfo(), ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogTimerFailed(logger, e, timer.Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {FunctionName} failed")]
    private static partial void LogTimerFailed(ILogger logger, Exception exception, string functionName);
}
