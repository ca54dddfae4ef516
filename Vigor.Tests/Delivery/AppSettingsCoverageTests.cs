using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vigor.Tests.Support;

namespace Vigor.Tests.Delivery;

/// <summary>
/// Every setting the app validates at startup is provided wherever the app runs: the Function App's app settings
/// (infra-bicep), local.settings.sample.json (func start), and the local host's appsettings.json + scripts.
/// A deployment that passes these cannot start an app that fails options validation for a missing setting.
/// </summary>
[TestClass]
public sealed partial class AppSettingsCoverageTests
{
    // Conditional in the code, required in Azure: there is no storage connection string there (managed identity), and
    // Secrets:Provider is KeyVault, which needs the vault's URI.
    private static readonly string[] AzureOnly = ["Storage__AccountName", "Secrets__KeyVaultUri"];

    // Conditional in the code, required locally: Azurite is reached with a connection string.
    private static readonly string[] LocalOnly = ["Storage__ConnectionString"];

    private static string RepoRoot => TestEnvironment.RepoRoot;

    [TestMethod]
    public void RequiredSettings_DerivedFromCode_FindTheKnownOnes()
    {
        var required = RequiredSettings.All();

        Assert.IsGreaterThanOrEqualTo(5, RequiredSettings.OptionsTypes.Count, string.Join(", ", RequiredSettings.OptionsTypes));
        foreach (var known in new[] { "Database__ConnectionString", "Auth__Issuer", "Auth__Audience", "Timers__PurgeRefreshTokensSchedule" })
            Assert.Contains(known, required);
    }

    [TestMethod]
    public async Task Bicep_AppSettings_CoverEverySettingTheAppValidates()
    {
        var infra = await CompiledInfra.GetAsync();
        var compiled = ArmTemplate.Module(infra.Main, "functionapp")["properties"]!["parameters"]!["appSettings"]!["value"]!.AsObject();
        var fromSource = VigorAppSettingsKeys(await File.ReadAllTextAsync(Path.Combine(CompiledInfra.InfraDir, "main.bicep")));

        var missing = RequiredSettings.All().Concat(AzureOnly).Where(k => !compiled.ContainsKey(k)).ToList();

        Assert.IsEmpty(missing, "infra-bicep/main.bicep vigorAppSettings lacks: " + string.Join(", ", missing));
        CollectionAssert.AreEquivalent(fromSource, compiled.Select(p => p.Key).ToList(), "main.bicep's vigorAppSettings and the compiled app settings differ");
        Assert.AreEqual("KeyVault", (string?)compiled["Secrets__Provider"]);
        foreach (var local in LocalOnly)
            Assert.IsFalse(compiled.ContainsKey(local), $"{local} must not be set in Azure (managed identity, no keys)");
    }

    [TestMethod]
    public async Task Bicep_FunctionApp_PassesTheAppSettingsToAppAndSlot()
    {
        var infra = await CompiledInfra.GetAsync();
        var functionApp = ArmTemplate.Module(infra.Main, "functionapp")["properties"]!["template"]!.AsObject();

        var settings = ArmTemplate.Resources(functionApp, "functionapp")
            .Where(r => r.Type is "Microsoft.Web/sites/config" or "Microsoft.Web/sites/slots/config" && ArmTemplate.Text(r.Resource["name"]).Contains("'appsettings'", StringComparison.Ordinal))
            .ToList();
        var baseSettings = ArmTemplate.Text(functionApp["variables"]!["baseSettings"]);

        Assert.HasCount(2, settings, "app settings of the app and of the staging slot");
        foreach (var resource in settings)
            Assert.Contains("variables('baseSettings')", ArmTemplate.Text(resource.Resource["properties"]), (string)resource.Resource["name"]!);
        Assert.Contains("parameters('appSettings')", baseSettings);
    }

    [TestMethod]
    public void LocalSettingsSample_CoversRequiredSettingsAndHostJsonPlaceholders()
    {
        var values = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot, "local.settings.sample.json")))!["Values"]!.AsObject();
        var placeholders = Placeholder().Matches(File.ReadAllText(Path.Combine(RepoRoot, "host.json"))).Select(m => m.Groups[1].Value).ToList();

        var missing = RequiredSettings.All().Concat(LocalOnly).Concat(placeholders).Where(k => !values.ContainsKey(k)).ToList();

        Assert.IsEmpty(missing, "local.settings.sample.json lacks: " + string.Join(", ", missing));
    }

    [TestMethod]
    public async Task Bicep_OverridesHostJsonPlaceholders()
    {
        // host.json's %DurableHubName% is a local setting; in Azure each slot sets its own hub through the override.
        var infra = await CompiledInfra.GetAsync();
        var functionApp = ArmTemplate.Module(infra.Main, "functionapp")["properties"]!["template"]!.AsObject();
        var hostJson = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot, "host.json")))!;

        var hubSetting = (string?)functionApp["variables"]!["taskHubSettingName"];

        Assert.AreEqual("%DurableHubName%", (string?)hostJson["extensions"]!["durableTask"]!["hubName"]);
        Assert.AreEqual("AzureFunctionsJobHost__extensions__durableTask__hubName", hubSetting);
    }

    [TestMethod]
    public void LocalRun_AppSettingsAndScripts_CoverRequiredSettings()
    {
        // scripts/run.sh: appsettings.json of the local host + the variables services.sh writes to .vigor/env
        // (sourced by run.sh) + run.sh's own --Section:Key arguments.
        var provided = new HashSet<string>(StringComparer.Ordinal);
        Flatten(JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot, "Vigor.LocalHost", "appsettings.json")))!, "", provided);
        provided.UnionWith(ExportedVariable().Matches(File.ReadAllText(Path.Combine(RepoRoot, "scripts", "services.sh"))).Select(m => m.Groups[1].Value));
        var runScript = File.ReadAllText(Path.Combine(RepoRoot, "scripts", "run.sh"));
        provided.UnionWith(CommandLineSetting().Matches(runScript).Select(m => RequiredSettings.EnvName(m.Groups[1].Value)));

        var missing = RequiredSettings.All().Concat(LocalOnly).Where(k => !provided.Contains(k)).ToList();

        Assert.Contains(". \"$REPO/.vigor/env\"", runScript, "run.sh must source the variables services.sh writes");
        Assert.IsEmpty(missing, "a local run (scripts/run.sh) lacks: " + string.Join(", ", missing));
    }

    /// <summary>The keys of <c>var vigorAppSettings = { ... }</c> in main.bicep.</summary>
    private static List<string> VigorAppSettingsKeys(string bicep)
    {
        var block = VigorAppSettingsBlock().Match(bicep);
        Assert.IsTrue(block.Success, "main.bicep has no `var vigorAppSettings = { ... }` block");
        return BicepKey().Matches(block.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
    }

    private static void Flatten(JsonNode node, string prefix, ISet<string> keys)
    {
        if (node is JsonObject obj)
        {
            foreach (var (name, child) in obj)
                Flatten(child!, prefix.Length == 0 ? name : $"{prefix}__{name}", keys);
        }
        else
        {
            keys.Add(prefix);
        }
    }

    [GeneratedRegex(@"(?ms)^var vigorAppSettings = \{\s*$(.*?)^\}")]
    private static partial Regex VigorAppSettingsBlock();

    [GeneratedRegex(@"(?m)^\s+'?([A-Za-z_][A-Za-z0-9_]*)'?\s*:")]
    private static partial Regex BicepKey();

    [GeneratedRegex("%([A-Za-z0-9_:]+)%")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"(?m)^\s*export ([A-Za-z_][A-Za-z0-9_]*)=")]
    private static partial Regex ExportedVariable();

    [GeneratedRegex(@"--([A-Za-z]+:[A-Za-z0-9:]+)=")]
    private static partial Regex CommandLineSetting();
}
