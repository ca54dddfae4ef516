using Microsoft.DurableTask;
using Vigor.Core.Llm.Gateway;

namespace Vigor.Core.Infrastructure.Durable;

/// <summary>Every class-based orchestrator and activity, registered the same way by the local host and the tests.</summary>
public static class DurableTasks
{
    public static DurableTaskRegistry AddVigorTasks(this DurableTaskRegistry registry)
    {
        registry.AddOrchestrator<PingOrchestrator>();
        registry.AddActivity<PingActivity>();
        return registry.AddLlmTasks();
    }
}
