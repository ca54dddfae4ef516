using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Infrastructure.Durable;

namespace Vigor.Functions.Infrastructure;

/// <summary>
/// One-line wrappers that hand the Functions host's orchestration and activity triggers to the class-based tasks in
/// Vigor.Core (what the unavailable [DurableTask] generator would emit). The local host registers the classes directly.
/// </summary>
internal static class DurableFunctions
{
    [Function(nameof(PingOrchestrator))]
    public static Task<string> RunPingOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
        => new PingOrchestrator().RunAsync(context, context.GetInput<string>()!);

    [Function(nameof(PingActivity))]
    public static Task<string> RunPingActivity([ActivityTrigger] string input, FunctionContext context)
        => context.InstanceServices.GetRequiredService<PingActivity>().RunAsync(new FunctionActivityContext(nameof(PingActivity), context), input);

    private sealed class FunctionActivityContext(TaskName name, FunctionContext context) : TaskActivityContext
    {
        public override TaskName Name => name;

        public override string InstanceId => context.BindingContext.BindingData.TryGetValue("instanceId", out var id) ? id?.ToString() ?? "" : "";
    }
}
