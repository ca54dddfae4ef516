using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Vigor.Core.Infrastructure.Http;

namespace Vigor.Functions.Infrastructure;

/// <summary>
/// Builds the OpenAPI 3.1 document from the route table: every HTTP function with its <see cref="ApiDocAttribute"/>,
/// body schemas generated from the same records the functions (de)serialize, and the ProblemDetails error shapes.
/// </summary>
public static partial class OpenApiDocument
{
    private static readonly Lazy<string> Cached = new(() => Build().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    public static string Json => Cached.Value;

    public static JsonObject Build()
    {
        var schemas = new JsonObject();
        var paths = new JsonObject();
        foreach (var group in FunctionCatalog.Http.GroupBy(f => "/" + RouteConstraint().Replace(f.Route, "}").Replace("?}", "}", StringComparison.Ordinal)))
        {
            var item = new JsonObject();
            foreach (var function in group)
            {
                foreach (var method in function.Methods)
                    item[method.ToLowerInvariant()] = Operation(function, group.Key, schemas);
            }
            paths[group.Key] = item;
        }
        schemas["ProblemDetails"] = Schema(typeof(ProblemDetails));
        schemas["ValidationProblemDetails"] = Schema(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails));
        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Vigor API",
                ["version"] = "1.0.0",
                ["description"] = "The backend of Vigor, an AI fitness coach. Errors are RFC 9457 ProblemDetails with a stable `code`.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" },
                },
            },
            ["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }),
        };
    }

    private static JsonObject Operation(HttpFunction function, string path, JsonObject schemas)
    {
        var doc = function.Doc;
        var operation = new JsonObject
        {
            ["operationId"] = function.Name,
            ["tags"] = new JsonArray(doc?.Tag ?? "Other"),
            ["summary"] = doc?.Summary ?? function.Name,
        };
        var parameters = new JsonArray();
        foreach (Match match in RouteParameter().Matches(path))
            parameters.Add(new JsonObject { ["name"] = match.Groups[1].Value, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        foreach (var query in function.Method.GetCustomAttributes(typeof(ApiQueryAttribute), false).Cast<ApiQueryAttribute>())
            parameters.Add(new JsonObject { ["name"] = query.Name, ["in"] = "query", ["description"] = query.Description, ["schema"] = new JsonObject { ["type"] = query.Type } });
        if (parameters.Count > 0)
            operation["parameters"] = parameters;
        if (doc?.Request is { } request)
            operation["requestBody"] = new JsonObject { ["required"] = true, ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(request, schemas) } } };

        var responses = new JsonObject();
        var success = new JsonObject { ["description"] = Describe(doc?.Status ?? 200) };
        if (doc?.Response is { } response)
            success["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(response, schemas) } };
        responses[(doc?.Status ?? 200).ToString(System.Globalization.CultureInfo.InvariantCulture)] = success;
        var errors = new SortedSet<int>(doc?.Errors ?? []) { 500 };
        if (!function.Anonymous)
            errors.Add(401);
        if (errors.Remove(202))
        {
            responses["202"] = new JsonObject
            {
                ["description"] = Describe(202),
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(typeof(Vigor.Core.Jobs.JobAccepted), schemas) } },
            };
        }
        foreach (var status in errors)
        {
            var schema = status == 400 ? "ValidationProblemDetails" : "ProblemDetails";
            responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["description"] = Describe(status),
                ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{schema}" } } },
            };
        }
        operation["responses"] = responses;
        if (function.Anonymous)
            operation["security"] = new JsonArray();
        return operation;
    }

    private static JsonObject Reference(Type type, JsonObject schemas)
    {
        var name = SchemaName(type);
        if (!schemas.ContainsKey(name))
            schemas[name] = Schema(type);
        return new JsonObject { ["$ref"] = $"#/components/schemas/{name}" };
    }

    private static JsonNode Schema(Type type) => VigorJson.Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });

    private static string SchemaName(Type type)
        => type.IsGenericType ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] + "Of" + string.Concat(type.GetGenericArguments().Select(SchemaName)) : type.Name;

    private static string Describe(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        202 => "Accepted: poll the job",
        204 => "No content",
        400 => "Invalid input; the fields are named in `errors`",
        401 => "Missing, invalid or expired access token",
        402 => "Payment required",
        403 => "Not allowed for this role or tier",
        404 => "Not found (or not yours)",
        409 => "Conflict",
        413 => "Body too large",
        415 => "Body is not JSON",
        429 => "Too many requests; see Retry-After",
        503 => "Not ready",
        _ => "Unexpected error",
    };

    [GeneratedRegex(@":[^}]+}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}")]
    private static partial Regex RouteParameter();
}
