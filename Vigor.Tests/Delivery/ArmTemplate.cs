using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Vigor.Tests.Delivery;

internal sealed record ArmResource(string Module, JsonObject Resource, JsonObject Template)
{
    public string Type => (string)Resource["type"]!;

    public JsonObject Properties => Resource["properties"]?.AsObject() ?? [];
}

internal sealed record ArmOutput(string Module, string Name, JsonObject Output, JsonObject Template);

/// <summary>
/// Reads a compiled ARM template: the resources and outputs of main and of every nested deployment (Bicep modules),
/// and a small evaluator for the expressions the assertions need: <c>[parameters('x')]</c> and
/// <c>[if(parameters('x'), 'a', 'b')]</c>, followed from a module's parameter back to main's and on to an environment's
/// parameters file (or main's default).
/// </summary>
internal static partial class ArmTemplate
{
    public const string Main = "main";

    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>JSON text with quotes left as they are, so <c>parameters('x')</c> can be searched for.</summary>
    public static string Text(JsonNode? node) => node?.ToJsonString(Unescaped) ?? "";

    public static IEnumerable<ArmResource> Resources(JsonObject template, string module = Main)
    {
        var resources = template["resources"] switch
        {
            JsonArray array => array.Select(r => r!.AsObject()),
            JsonObject symbolic => symbolic.Select(r => r.Value!.AsObject()),
            _ => [],
        };
        foreach (var resource in resources)
        {
            if (resource["existing"]?.GetValue<bool>() == true)
                continue;
            yield return new ArmResource(module, resource, template);
            if ((string?)resource["type"] == "Microsoft.Resources/deployments" && resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in Resources(nested, (string)resource["name"]!))
                    yield return inner;
            }
        }
    }

    public static IEnumerable<ArmOutput> Outputs(JsonObject template)
    {
        IEnumerable<(string Module, JsonObject Template)> templates = [(Main, template)];
        templates = templates.Concat(Resources(template)
            .Where(r => r.Type == "Microsoft.Resources/deployments" && r.Properties["template"] is JsonObject)
            .Select(r => ((string)r.Resource["name"]!, r.Properties["template"]!.AsObject())));
        foreach (var (module, t) in templates)
        {
            foreach (var (name, output) in t["outputs"]?.AsObject() ?? [])
                yield return new ArmOutput(module, name, output!.AsObject(), t);
        }
    }

    public static IEnumerable<string> SecureParameters(JsonObject template)
        => (template["parameters"]?.AsObject() ?? [])
            .Where(p => ((string?)p.Value!["type"])?.StartsWith("secure", StringComparison.OrdinalIgnoreCase) == true)
            .Select(p => p.Key);

    public static JsonObject Module(JsonObject main, string name)
        => Resources(main).Single(r => r.Module == Main && r.Type == "Microsoft.Resources/deployments" && (string?)r.Resource["name"] == name).Resource;

    /// <summary>The value of <paramref name="node"/> (a literal or an expression of a module's template) in one environment.</summary>
    public static JsonNode? Evaluate(JsonNode? node, string module, JsonObject main, JsonObject envParameters)
    {
        if (node is not JsonValue value || !value.TryGetValue<string>(out var text) || !text.StartsWith('[') || text.StartsWith("[[", StringComparison.Ordinal))
            return node?.DeepClone();
        JsonNode? Parameter(string name) => module == Main
            ? envParameters[name]?["value"]?.DeepClone() ?? Evaluate(main["parameters"]![name]!["defaultValue"], Main, main, envParameters)
            : Evaluate(Module(main, module)["properties"]!["parameters"]![name]!["value"], Main, main, envParameters);

        if (ParameterRef().Match(text) is { Success: true } p)
            return Parameter(p.Groups[1].Value);
        if (IfParameter().Match(text) is { Success: true } i)
            return Parameter(i.Groups[1].Value)!.GetValue<bool>() ? i.Groups[2].Value : i.Groups[3].Value;
        throw new NotSupportedException($"ArmTemplate.Evaluate does not understand {text} (module {module}); extend it or assert on the expression text");
    }

    [GeneratedRegex(@"^\[parameters\('(\w+)'\)\]$")]
    private static partial Regex ParameterRef();

    [GeneratedRegex(@"^\[if\(parameters\('(\w+)'\), '([^']*)', '([^']*)'\)\]$")]
    private static partial Regex IfParameter();
}
