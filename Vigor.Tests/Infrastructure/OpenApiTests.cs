using System.Text.Json;
using Vigor.Functions.Infrastructure;
using Vigor.Tests.Support;

namespace Vigor.Tests.Infrastructure;

[TestClass]
public sealed class OpenApiTests
{
    private static JsonElement document;

    [ClassInitialize]
    public static async Task FetchAsync(TestContext context)
    {
        _ = context;
        var json = await SharedHost.Host.Client.GetStringAsync("/api/openapi.json");
        document = JsonDocument.Parse(json).RootElement;
        // CI lints the served document (Spectral); keep a copy where the workflow looks for it.
        var results = Path.Combine(TestEnvironment.RepoRoot, "TestResults");
        Directory.CreateDirectory(results);
        await File.WriteAllTextAsync(Path.Combine(results, "openapi.json"), json);
    }

    private static IEnumerable<(string Path, string Method)> DocumentedOperations()
        => document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (p.Name, m.Name.ToUpperInvariant())));

    [TestMethod]
    public void Document_IsOpenApi31()
        => Assert.AreEqual("3.1.0", document.GetProperty("openapi").GetString());

    [TestMethod]
    public void EveryFunctionRoute_IsDocumented_WithSummaryAndErrors()
    {
        var documented = DocumentedOperations().ToHashSet();

        foreach (var function in FunctionCatalog.Http)
        {
            Assert.IsNotNull(function.Doc, $"{function.Name} has no [ApiDoc]");
            foreach (var method in function.Methods)
            {
                Assert.Contains(("/" + function.Route, method), documented, $"{method} /{function.Route} missing from the document");
                var operation = document.GetProperty("paths").GetProperty("/" + function.Route).GetProperty(method.ToLowerInvariant());
                Assert.IsTrue(operation.GetProperty("responses").TryGetProperty("500", out _));
                if (!function.Anonymous)
                    Assert.IsTrue(operation.GetProperty("responses").TryGetProperty("401", out _), function.Name);
                if (function.Doc!.Request is not null)
                    Assert.IsTrue(operation.TryGetProperty("requestBody", out _), function.Name);
            }
        }
    }

    [TestMethod]
    public void EveryDocumentedOperation_ExistsInTheRouteTable()
    {
        var served = FunctionCatalog.Http.SelectMany(f => f.Methods.Select(m => ("/" + f.Route, m))).ToHashSet();

        foreach (var operation in DocumentedOperations())
            Assert.Contains(operation, served, $"{operation.Method} {operation.Path} is documented but not served");
    }

    [TestMethod]
    public void EveryReference_Resolves()
    {
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var refs = System.Text.RegularExpressions.Regex.Matches(document.GetRawText(), "\"\\$ref\":\\s*\"#/components/schemas/([^\"]+)\"");

        Assert.IsNotEmpty(refs);
        foreach (System.Text.RegularExpressions.Match match in refs)
            Assert.IsTrue(schemas.TryGetProperty(match.Groups[1].Value, out _), match.Groups[1].Value);
    }

    [TestMethod]
    public async Task DocsPage_IsServed()
    {
        var response = await SharedHost.Host.Client.GetAsync("/api/docs/index.html");

        Assert.AreEqual(System.Net.HttpStatusCode.OK, response.StatusCode);
        StringAssert.Contains(await response.Content.ReadAsStringAsync(), "swagger");
    }
}
