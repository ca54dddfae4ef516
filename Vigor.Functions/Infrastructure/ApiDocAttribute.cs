namespace Vigor.Functions.Infrastructure;

/// <summary>What the OpenAPI document says of an HTTP function: its summary, bodies and the errors it can answer.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiDocAttribute(string tag, string summary) : Attribute
{
    public string Tag { get; } = tag;

    public string Summary { get; } = summary;

    public Type? Request { get; init; }

    public Type? Response { get; init; }

    public int Status { get; init; } = 200;

    /// <summary>Error statuses besides the ones every route can answer (401 on authenticated routes, 500).</summary>
    public int[] Errors { get; init; } = [];
}

/// <summary>A query-string parameter of an HTTP function, for the OpenAPI document.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ApiQueryAttribute(string name, string type, string description) : Attribute
{
    public string Name { get; } = name;

    public string Type { get; } = type;

    public string Description { get; } = description;
}
