using System.Diagnostics;
using Azure.Data.Tables;
using Dapper;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Npgsql;
using Vigor.Core.Infrastructure.Durable;

namespace Vigor.Core.Health;

public sealed record HealthCheck(string Name, string Status, double DurationMs, string? Error = null);

public sealed record ReadinessReport(string Status, IReadOnlyList<HealthCheck> Checks);

/// <summary>Readiness: PostgreSQL answers, Table Storage answers, and a Durable orchestration completes a round trip.</summary>
internal sealed class HealthService(NpgsqlDataSource dataSource, TableServiceClient tables)
{
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public async Task<ReadinessReport> CheckAsync(DurableTaskClient durable, CancellationToken ct)
    {
        var checks = await Task.WhenAll(
            Run("postgresql", async token =>
            {
                await using var conn = await dataSource.OpenConnectionAsync(token);
                await conn.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: token));
            }, ct),
            Run("tableStorage", async token =>
            {
                await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: token).AsPages(pageSizeHint: 1))
                    break;
            }, ct),
            Run("durable", async token =>
            {
                var id = "health-" + Guid.NewGuid().ToString("N");
                await durable.ScheduleNewOrchestrationInstanceAsync(nameof(PingOrchestrator), "ready", new StartOrchestrationOptions(id), token);
                var done = await durable.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: false, token);
                if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
                    throw new InvalidOperationException($"ping orchestration ended {done.RuntimeStatus}");
                await durable.PurgeInstanceAsync(id, cancellation: token);
            }, ct));
        return new ReadinessReport(checks.All(c => c.Status == "healthy") ? "healthy" : "unhealthy", checks);
    }

    private static async Task<HealthCheck> Run(string name, Func<CancellationToken, Task> check, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            await check(timeout.Token);
            return new HealthCheck(name, "healthy", watch.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The exception type only: messages can carry connection details.
            var error = e is OperationCanceledException ? "timed out" : e.GetType().Name;
            return new HealthCheck(name, "unhealthy", watch.Elapsed.TotalMilliseconds, error);
        }
    }
}
