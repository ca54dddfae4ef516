using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vigor.Core.Infrastructure.Durable;
using Vigor.Core.Jobs;
using Vigor.Tests.Support;

namespace Vigor.Tests.Jobs;

[TestClass]
public sealed class JobTests
{
    private static TestHost Host => SharedHost.Host;

    private static JobService Service(TimeSpan wait)
        => new(Host.Services.GetRequiredService<JobRepository>(), Options.Create(new JobOptions { Wait = wait }),
            Host.Services.GetRequiredService<Vigor.Core.Llm.Gateway.LlmInlineRunner>(), Host.Services.GetRequiredService<Vigor.Core.Llm.Gateway.PendingSettles>(),
            NullLogger<JobService>.Instance);

    [TestMethod]
    public async Task Start_FinishedWithinWait_ReturnsTheResult()
    {
        var user = await Host.RegisterAsync();
        var durable = Host.Services.GetRequiredService<DurableTaskClient>();

        var start = await Service(TimeSpan.FromSeconds(20)).StartAsync(durable, user.UserId, "ping", nameof(PingOrchestrator), "job", CancellationToken.None);

        Assert.IsTrue(start.Finished);
        Assert.AreEqual(JobStatus.Completed, start.Job.Status);
        StringAssert.StartsWith(start.Job.Result!.Value.GetString(), "pong:job:");
    }

    [TestMethod]
    public async Task Start_NotFinishedWithinWait_ThenPolledByItsOwnerOnly()
    {
        var owner = await Host.RegisterAsync();
        var stranger = await Host.RegisterAsync();
        var durable = Host.Services.GetRequiredService<DurableTaskClient>();

        var start = await Service(TimeSpan.Zero).StartAsync(durable, owner.UserId, "ping", nameof(PingOrchestrator), "slow", CancellationToken.None);
        JsonElement job = default;
        for (var i = 0; i < 100; i++)
        {
            job = JsonDocument.Parse(await (await Host.SendAsync(HttpMethod.Get, $"/api/jobs/{start.Job.Id}", owner.AccessToken)).Content.ReadAsStringAsync()).RootElement;
            if (job.GetProperty("status").GetString() == JobStatus.Completed)
                break;
            await Task.Delay(50);
        }
        var asStranger = await Host.SendAsync(HttpMethod.Get, $"/api/jobs/{start.Job.Id}", stranger.AccessToken);
        var unknown = await Host.SendAsync(HttpMethod.Get, $"/api/jobs/ping-{Guid.NewGuid():N}", owner.AccessToken);

        Assert.AreEqual("ping", job.GetProperty("kind").GetString());
        Assert.AreEqual(JobStatus.Completed, job.GetProperty("status").GetString());
        StringAssert.StartsWith(job.GetProperty("result").GetString(), "pong:slow:");
        Assert.AreEqual(HttpStatusCode.NotFound, asStranger.StatusCode);
        Assert.AreEqual(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [TestMethod]
    public void JobResults_Map_CompletedTo200_PendingTo202WithLocation()
    {
        var done = Vigor.Functions.Infrastructure.JobResults.From(new JobStart(new JobView("a", "k", JobStatus.Completed, JsonDocument.Parse("1").RootElement, null, DateTime.UtcNow), true));
        var pending = Vigor.Functions.Infrastructure.JobResults.From(new JobStart(new JobView("b", "k", JobStatus.Running, null, null, DateTime.UtcNow), false));

        Assert.AreEqual(200, ((IStatusCodeHttpResult)done).StatusCode);
        Assert.AreEqual(202, ((IStatusCodeHttpResult)pending).StatusCode);
        Assert.AreEqual("/api/jobs/b", ((Microsoft.AspNetCore.Http.HttpResults.Accepted<JobAccepted>)pending).Location);
    }
}
