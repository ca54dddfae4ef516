using System.Text.Json.Nodes;
using Vigor.Tests.Support;

namespace Vigor.Tests.Delivery;

/// <summary>
/// infra-bicep compiled once per test run and shared by the delivery tests: main.bicep to an ARM template, every
/// env/*.bicepparam to its parameters file, and one lint over every file (plus a canary that must fail, which proves
/// bicepconfig.json's rules are in force). All three Bicep CLI runs go in parallel on a copy of the folder.
/// </summary>
internal sealed record CompiledInfra(
    JsonObject Main,
    IReadOnlyDictionary<string, JsonObject> EnvParameters,
    ToolResult Build,
    ToolResult BuildParams,
    ToolResult Lint)
{
    public const string CanaryFile = ".canary/canary.bicep";

    private static readonly Lazy<Task<CompiledInfra>> Compiled = new(CompileAsync);

    public static string InfraDir => Path.Combine(TestEnvironment.RepoRoot, "infra-bicep");

    public static Task<CompiledInfra> GetAsync() => Compiled.Value;

    private static async Task<CompiledInfra> CompileAsync()
    {
        var root = TestEnvironment.RepoRoot;
        // tools/bicep.sh restores the pinned Bicep CLI package from NuGet on first use and prints its path.
        var locate = await ToolProcess.RunAsync("bash", [Path.Combine(root, "tools", "bicep.sh")], root, TimeSpan.FromMinutes(5));
        Assert.AreEqual(0, locate.ExitCode, locate.Output);
        var bicep = locate.Output.Trim().Split('\n')[^1].Trim();

        var work = Path.Combine(Path.GetTempPath(), "vigor-bicep-" + Guid.NewGuid().ToString("N"));
        var copy = Path.Combine(work, "infra-bicep");
        CopyDirectory(InfraDir, copy);
        Directory.CreateDirectory(Path.Combine(copy, ".canary"));
        await File.WriteAllTextAsync(Path.Combine(copy, CanaryFile), "param unusedCanary string\n");
        try
        {
            // The parameter files read these with defaults; a developer's shell must not change what is compiled.
            var environment = new Dictionary<string, string?>
            {
                ["VIGOR_POSTGRES_ADMIN_PASSWORD"] = null,
                ["VIGOR_ADMIN_EMAIL"] = null,
                ["VIGOR_ALERT_EMAIL"] = null,
                ["VIGOR_POSTGRES_READ_REPLICA"] = null,
                ["AZURE_ENV_NAME"] = null,
            };
            var timeout = TimeSpan.FromMinutes(3);
            var build = ToolProcess.RunAsync(bicep, ["build", "main.bicep", "--outfile", Path.Combine(work, "main.json")], copy, timeout, environment);
            var buildParams = ToolProcess.RunAsync(bicep, ["build-params", "--pattern", "env/*.bicepparam"], copy, timeout, environment);
            var lint = ToolProcess.RunAsync(bicep, ["lint", "--pattern", "**/*.bicep*"], copy, timeout, environment);
            await Task.WhenAll(build, buildParams, lint);

            Assert.AreEqual(0, build.Result.ExitCode, build.Result.Output);
            Assert.AreEqual(0, buildParams.Result.ExitCode, buildParams.Result.Output);
            var main = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(work, "main.json")))!.AsObject();
            var envs = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var file in Directory.GetFiles(Path.Combine(copy, "env"), "*.bicepparam"))
            {
                var json = Path.ChangeExtension(file, ".json");
                Assert.IsTrue(File.Exists(json), $"build-params wrote no {Path.GetFileName(json)}");
                envs[Path.GetFileNameWithoutExtension(file)] = JsonNode.Parse(await File.ReadAllTextAsync(json))!["parameters"]!.AsObject();
            }
            return new CompiledInfra(main, envs, build.Result, buildParams.Result, lint.Result);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from))
            CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
