using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Vigor.Core.Infrastructure.Durable;
using Vigor.Core.Llm.Gateway;

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

    [Function(nameof(LlmOrchestrator))]
    public static Task<LlmJobOutput> RunLlmOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
        => new LlmOrchestrator().RunAsync(context, context.GetInput<LlmJob>()!);

    [Function(nameof(RouteLlmActivity))]
    public static Task<RoutePlan> RunRouteLlmActivity([ActivityTrigger] LlmJob input, FunctionContext context)
        => Run<RouteLlmActivity, LlmJob, RoutePlan>(context, input);

    [Function(nameof(ReserveBudgetActivity))]
    public static Task<Reservation> RunReserveBudgetActivity([ActivityTrigger] ReserveInput input, FunctionContext context)
        => Run<ReserveBudgetActivity, ReserveInput, Reservation>(context, input);

    [Function(nameof(CallModelActivity))]
    public static Task<AttemptResult> RunCallModelActivity([ActivityTrigger] AttemptInput input, FunctionContext context)
        => Run<CallModelActivity, AttemptInput, AttemptResult>(context, input);

    [Function(nameof(SettleLlmActivity))]
    public static Task<bool> RunSettleLlmActivity([ActivityTrigger] SettleInput input, FunctionContext context)
        => Run<SettleLlmActivity, SettleInput, bool>(context, input);

    [Function(nameof(CompleteLlmJobActivity))]
    public static Task<System.Text.Json.JsonElement> RunCompleteLlmJobActivity([ActivityTrigger] CompleteInput input, FunctionContext context)
        => Run<CompleteLlmJobActivity, CompleteInput, System.Text.Json.JsonElement>(context, input);

    private static Task<TOut> Run<TActivity, TIn, TOut>(FunctionContext context, TIn input)
        where TActivity : TaskActivity<TIn, TOut>
        => context.InstanceServices.GetRequiredService<TActivity>().RunAsync(new FunctionActivityContext(typeof(TActivity).Name, context), input);

    private sealed class FunctionActivityContext(TaskName name, FunctionContext context) : TaskActivityContext
    {
        public override TaskName Name => name;

        public override string InstanceId => context.BindingContext.BindingData.TryGetValue("instanceId", out var id) ? id?.ToString() ?? "" : "";
    }
}
