using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Vigor.Functions.Infrastructure;

public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, MethodInfo Method, bool Anonymous, ApiDocAttribute? Doc);

public sealed record TimerFunction(string Name, string Schedule, MethodInfo Method);

/// <summary>
/// The one route table: read from the <c>[Function]</c>, <c>[HttpTrigger]</c> and <c>[TimerTrigger]</c> attributes
/// of this assembly. The Functions host reads the same attributes (through functions.metadata); the local host,
/// the authentication middleware and the OpenAPI document read them from here.
/// </summary>
public static class FunctionCatalog
{
    public static IReadOnlyList<HttpFunction> Http { get; } = DiscoverHttp();

    public static IReadOnlyList<TimerFunction> Timers { get; } = DiscoverTimers();

    private static readonly Dictionary<string, HttpFunction> ByName = Http.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static HttpFunction? FindHttp(string functionName) => ByName.GetValueOrDefault(functionName);

    private static IEnumerable<(string Name, MethodInfo Method)> Functions()
        => typeof(FunctionCatalog).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (m.GetCustomAttribute<FunctionAttribute>()?.Name, m))
            .Where(f => f.Name is not null)
            .Select(f => (f.Name!, f.m));

    private static List<HttpFunction> DiscoverHttp()
        => Functions()
            .Select(f => (f.Name, f.Method, Trigger: f.Method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(f => f.Trigger is not null)
            .Select(f => new HttpFunction(
                f.Name,
                f.Trigger!.Route ?? f.Name,
                (f.Trigger.Methods ?? ["get", "post", "put", "delete", "patch"]).Select(m => m.ToUpperInvariant()).ToArray(),
                f.Method,
                f.Method.GetCustomAttribute<AnonymousAttribute>() is not null,
                f.Method.GetCustomAttribute<ApiDocAttribute>()))
            .OrderBy(f => f.Route, StringComparer.Ordinal)
            .ToList();

    private static List<TimerFunction> DiscoverTimers()
        => Functions()
            .Select(f => (f.Name, f.Method, Trigger: f.Method.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(f => f.Trigger is not null)
            .Select(f => new TimerFunction(f.Name, f.Trigger!.Schedule, f.Method))
            .ToList();
}
