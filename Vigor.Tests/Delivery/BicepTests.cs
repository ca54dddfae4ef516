using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Vigor.Tests.Delivery;

/// <summary>
/// infra-bicep compiles and lints clean, and the compiled template keeps the security settings the runbook promises
/// (docs/delivery.md): checked on the JSON that Azure would receive, per environment where values differ.
/// </summary>
[TestClass]
public sealed partial class BicepTests
{
    private static readonly string[] Environments = ["dev", "staging", "prod"];

    [TestMethod]
    public async Task Build_MainAndEveryEnvironment_WithoutWarnings()
    {
        var infra = await CompiledInfra.GetAsync();

        Assert.IsEmpty(Diagnostics(infra.Build.Output), infra.Build.Output);
        Assert.IsEmpty(Diagnostics(infra.BuildParams.Output), infra.BuildParams.Output);
        CollectionAssert.AreEquivalent(Environments, infra.EnvParameters.Keys.ToArray());
        foreach (var env in Environments)
            Assert.AreEqual(env, (string?)infra.EnvParameters[env]["environmentName"]?["value"]);
    }

    [TestMethod]
    public async Task Lint_EveryFile_OnlyTheCanaryFails()
    {
        var infra = await CompiledInfra.GetAsync();

        var diagnostics = Diagnostics(infra.Lint.Output);

        // The canary (an unused parameter) must be an error: proof that bicepconfig.json raises the rules to errors.
        Assert.IsTrue(diagnostics.Any(d => d.Contains(CompiledInfra.CanaryFile, StringComparison.Ordinal) && d.Contains("no-unused-params", StringComparison.Ordinal)),
            "the linter canary did not fail; is infra-bicep/bicepconfig.json still in force?\n" + infra.Lint.Output);
        var real = diagnostics.Where(d => !d.Contains(CompiledInfra.CanaryFile, StringComparison.Ordinal)).ToList();
        Assert.IsEmpty(real, string.Join('\n', real));
    }

    [TestMethod]
    public async Task Storage_HttpsOnlyTls12_NoSharedKeyNoPublicBlobs()
    {
        var infra = await CompiledInfra.GetAsync();

        var accounts = Of(infra.Main, "Microsoft.Storage/storageAccounts");
        var containers = Of(infra.Main, "Microsoft.Storage/storageAccounts/blobServices/containers");

        Assert.IsNotEmpty(accounts);
        foreach (var account in accounts)
        {
            Assert.IsFalse(Bool(account.Properties, "allowSharedKeyAccess"), "allowSharedKeyAccess");
            Assert.AreEqual("TLS1_2", (string?)account.Properties["minimumTlsVersion"]);
            Assert.IsTrue(Bool(account.Properties, "supportsHttpsTrafficOnly"), "supportsHttpsTrafficOnly");
            Assert.IsFalse(Bool(account.Properties, "allowBlobPublicAccess"), "allowBlobPublicAccess");
        }
        foreach (var container in containers)
            Assert.AreEqual("None", (string?)container.Properties["publicAccess"]);
    }

    [TestMethod]
    public async Task FunctionApp_HttpsOnlyTls12_NoFtpNoBasicAuth()
    {
        var infra = await CompiledInfra.GetAsync();

        var sites = Of(infra.Main, "Microsoft.Web/sites").Concat(Of(infra.Main, "Microsoft.Web/sites/slots")).ToList();
        var policies = Of(infra.Main, "Microsoft.Web/sites/basicPublishingCredentialsPolicies")
            .Concat(Of(infra.Main, "Microsoft.Web/sites/slots/basicPublishingCredentialsPolicies")).ToList();

        Assert.HasCount(2, sites, "the app and its staging slot");
        foreach (var site in sites)
        {
            Assert.IsTrue(Bool(site.Properties, "httpsOnly"), $"{site.Type}: httpsOnly");
            var configs = SiteConfigs(site).ToList();
            Assert.IsNotEmpty(configs, $"{site.Type}: no siteConfig");
            foreach (var (name, config) in configs)
            {
                // Where the platform accepts them (Flex Consumption rejects most siteConfig properties).
                if (config["minTlsVersion"] is { } tls)
                    Assert.AreEqual("1.2", (string?)tls, name);
                if (config["scmMinTlsVersion"] is { } scmTls)
                    Assert.AreEqual("1.2", (string?)scmTls, name);
                if (config["ftpsState"] is { } ftps)
                    Assert.AreEqual("Disabled", (string?)ftps, name);
            }
            Assert.IsTrue(configs.All(c => c.Config["minTlsVersion"] is not null), "every siteConfig variant sets minTlsVersion");
        }
        Assert.HasCount(4, policies, "ftp and scm, on the app and on the slot");
        Assert.IsTrue(policies.All(p => !Bool(p.Properties, "allow")), "basic-auth publishing must be off");
    }

    [TestMethod]
    public async Task KeyVault_RbacPurgeProtectionSoftDelete_InEveryEnvironment()
    {
        var infra = await CompiledInfra.GetAsync();

        var vault = Of(infra.Main, "Microsoft.KeyVault/vaults").Single();

        Assert.IsTrue(Bool(vault.Properties, "enableRbacAuthorization"), "enableRbacAuthorization");
        Assert.IsTrue(Bool(vault.Properties, "enablePurgeProtection"), "enablePurgeProtection");
        Assert.IsTrue(Bool(vault.Properties, "enableSoftDelete"), "enableSoftDelete");
        Assert.IsNull(vault.Properties["accessPolicies"]?.AsArray().FirstOrDefault(), "RBAC only: no access policies");
        foreach (var env in Environments)
        {
            var retention = ArmTemplate.Evaluate(vault.Properties["softDeleteRetentionInDays"], vault.Module, infra.Main, infra.EnvParameters[env])!.GetValue<int>();
            Assert.IsTrue(retention is >= 7 and <= 90, $"{env}: soft delete retention {retention} days");
        }
    }

    [TestMethod]
    [DataRow("dev", 7, "Disabled", "Disabled")]
    [DataRow("staging", 14, "Disabled", "Disabled")]
    [DataRow("prod", 35, "Enabled", "ZoneRedundant")]
    public async Task Postgres_BackupsAndHighAvailability_PerEnvironment(string env, int retentionDays, string geoRedundantBackup, string haMode)
    {
        var infra = await CompiledInfra.GetAsync();
        var server = Of(infra.Main, "Microsoft.DBforPostgreSQL/flexibleServers").Single(s => s.Properties["backup"] is not null);
        JsonNode? Value(JsonNode? node) => ArmTemplate.Evaluate(node, server.Module, infra.Main, infra.EnvParameters[env]);

        var retention = Value(server.Properties["backup"]!["backupRetentionDays"])!.GetValue<int>();
        var geo = (string?)Value(server.Properties["backup"]!["geoRedundantBackup"]);
        var ha = (string?)Value(server.Properties["highAvailability"]!["mode"]);

        Assert.AreEqual(retentionDays, retention);
        Assert.AreEqual(geoRedundantBackup, geo);
        Assert.AreEqual(haMode, ha);
    }

    [TestMethod]
    public async Task Outputs_NeverCarrySecrets()
    {
        var infra = await CompiledInfra.GetAsync();
        // Nested outputs show in the deployment history too. These two look like secrets by name but are not:
        // the App Insights connection string names an ingestion endpoint (docs/delivery.md), and a secret's URI is
        // its address, not its value.
        var allowed = new HashSet<string>(StringComparer.Ordinal) { "monitoring.connectionString", "keyvault.databaseSecretUri" };

        var outputs = ArmTemplate.Outputs(infra.Main).ToList();

        Assert.IsTrue(outputs.Any(o => o.Module == ArmTemplate.Main), "main has outputs");
        foreach (var output in outputs)
        {
            var where = $"{output.Module}.{output.Name}";
            var value = ArmTemplate.Text(output.Output["value"]);
            Assert.IsFalse(ListFunction().IsMatch(value), $"{where} calls a list*() function: {value}");
            foreach (var secure in ArmTemplate.SecureParameters(output.Template))
                Assert.DoesNotContain($"parameters('{secure}')", value, $"{where} outputs the @secure() parameter {secure}");
            if (allowed.Contains(where))
                continue;
            Assert.IsFalse(SecretName().IsMatch(output.Name), $"{where}: the name looks like a secret");
            Assert.IsFalse(SecretName().IsMatch(value), $"{where}: the value looks like a secret: {value}");
        }
    }

    [TestMethod]
    public async Task SecureParameters_StaySecureAcrossModules()
    {
        var infra = await CompiledInfra.GetAsync();
        var secureInMain = ArmTemplate.SecureParameters(infra.Main).ToList();

        var modules = ArmTemplate.Resources(infra.Main).Where(r => r.Module == ArmTemplate.Main && r.Type == "Microsoft.Resources/deployments").ToList();

        Assert.Contains("postgresAdministratorPassword", secureInMain);
        foreach (var module in modules)
        {
            var nested = module.Properties["template"]!.AsObject();
            var secureInModule = ArmTemplate.SecureParameters(nested).ToHashSet();
            foreach (var (name, value) in module.Properties["parameters"]?.AsObject() ?? [])
            {
                var text = ArmTemplate.Text(value);
                if (secureInMain.Any(s => text.Contains($"parameters('{s}')", StringComparison.Ordinal)))
                    Assert.Contains(name, secureInModule, $"{module.Resource["name"]}.{name} receives a secure value but is not @secure()");
            }
        }
    }

    private static List<ArmResource> Of(JsonObject main, string type)
        => ArmTemplate.Resources(main).Where(r => r.Type.Equals(type, StringComparison.OrdinalIgnoreCase)).ToList();

    private static bool Bool(JsonObject properties, string name)
        => properties[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b
            : throw new AssertFailedException($"{name} is not a literal true/false: {properties[name]?.ToJsonString() ?? "missing"}");

    // siteConfig is an object, or an expression choosing between variables (Flex vs dedicated): check each variant.
    private static IEnumerable<(string Name, JsonObject Config)> SiteConfigs(ArmResource site)
    {
        switch (site.Properties["siteConfig"])
        {
            case JsonObject config:
                yield return ("siteConfig", config);
                break;
            case JsonValue expression:
                foreach (Match m in VariableRef().Matches((string)expression!))
                {
                    if (site.Template["variables"]?[m.Groups[1].Value] is JsonObject variant)
                        yield return (m.Groups[1].Value, variant);
                }
                break;
        }
    }

    private static List<string> Diagnostics(string output)
        => output.Split('\n').Where(l => l.Contains(": Error ", StringComparison.Ordinal) || l.Contains(": Warning ", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct().ToList();

    [GeneratedRegex(@"variables\('(\w+)'\)")]
    private static partial Regex VariableRef();

    [GeneratedRegex(@"\blist\w*\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListFunction();

    [GeneratedRegex(@"password|secret|connectionstring|apikey|accountkey|sastoken|token|credential|keys?($|[^a-z])", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
