using Microsoft.DurableTask;

namespace Vigor.Core.Infrastructure.Durable;

/// <summary>The smallest real orchestration: one activity round trip. Readiness uses it to prove Durable works end to end.</summary>
public sealed class PingOrchestrator : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        => await context.CallActivityAsync<string>(nameof(PingActivity), input);
}

public sealed class PingActivity(TimeProvider time) : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input)
        => Task.FromResult($"pong:{input}:{time.GetUtcNow():O}");
}
