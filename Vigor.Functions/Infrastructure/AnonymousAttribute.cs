namespace Vigor.Functions.Infrastructure;

/// <summary>Marks an HTTP function that answers without an access token. Every other HTTP function requires one.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AnonymousAttribute : Attribute;
