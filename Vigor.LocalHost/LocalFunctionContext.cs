using System.Collections.Immutable;
using Microsoft.Azure.Functions.Worker;

namespace Vigor.LocalHost;

/// <summary>
/// The <see cref="FunctionContext"/> a function and the worker middleware see in the local host: name, entry point,
/// services, items (with the HttpContext where the Functions ASP.NET Core integration keeps it) and binding data.
/// Features, retry and trace contexts have no meaning outside the Functions host and stay empty.
/// </summary>
internal sealed class LocalFunctionContext : FunctionContext
{
    // Where Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore's GetHttpContext() looks for the request.
    private const string HttpContextItem = "HttpRequestContext";

    public LocalFunctionContext(string functionName, string entryPoint, IServiceProvider services, HttpContext? httpContext, CancellationToken ct)
    {
        FunctionDefinition = new LocalFunctionDefinition(functionName, entryPoint);
        InstanceServices = services;
        CancellationToken = ct;
        Items = new Dictionary<object, object>();
        if (httpContext is not null)
            Items[HttpContextItem] = httpContext;
    }

    public override string InvocationId { get; } = Guid.NewGuid().ToString();

    public override string FunctionId => FunctionDefinition.Id;

    public override TraceContext TraceContext => throw new NotSupportedException("No trace context outside the Functions host.");

    public override BindingContext BindingContext { get; } = new LocalBindingContext();

    public override RetryContext RetryContext => throw new NotSupportedException("No retry context outside the Functions host.");

    public override IServiceProvider InstanceServices { get; set; }

    public override FunctionDefinition FunctionDefinition { get; }

    public override IDictionary<object, object> Items { get; set; }

    public override IInvocationFeatures Features { get; } = new LocalInvocationFeatures();

    public override CancellationToken CancellationToken { get; }

    private sealed class LocalFunctionDefinition(string name, string entryPoint) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(Vigor.Functions.Infrastructure.FunctionCatalog).Assembly.Location;

        public override string EntryPoint => entryPoint;

        public override string Id => name;

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }

    private sealed class LocalBindingContext : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData { get; } = new Dictionary<string, object?>();
    }

    private sealed class LocalInvocationFeatures : IInvocationFeatures
    {
        private readonly Dictionary<Type, object> features = [];

        public T? Get<T>() => features.TryGetValue(typeof(T), out var value) ? (T)value : default;

        public void Set<T>(T instance) => features[typeof(T)] = instance!;

        public IEnumerator<KeyValuePair<Type, object>> GetEnumerator() => features.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
