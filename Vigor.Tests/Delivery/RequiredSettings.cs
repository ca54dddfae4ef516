using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Vigor.Core;
using Vigor.Functions.Infrastructure;

namespace Vigor.Tests.Delivery;

/// <summary>
/// The settings the app cannot start without, derived from the code (not a hand-kept list), as environment-style
/// names (<c>Section__Property</c>): every <c>[Required]</c> property of an options class (a type in Vigor.Core with a
/// <c>public const string Section</c>), and every <c>%Setting%</c> a timer schedule names.
/// </summary>
internal static class RequiredSettings
{
    public static IReadOnlyList<Type> OptionsTypes { get; } = typeof(VigorCoreServices).Assembly.GetTypes()
        .Where(t => t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true, FieldType: var f } && f == typeof(string))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToList();

    public static SortedSet<string> FromOptions()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in OptionsTypes)
            AddRequired(type, (string)type.GetField("Section")!.GetRawConstantValue()!, names);
        return names;
    }

    public static SortedSet<string> FromTimerSchedules()
        => new(FunctionCatalog.Timers
            .Where(t => t.Schedule.Length > 2 && t.Schedule.StartsWith('%') && t.Schedule.EndsWith('%'))
            .Select(t => EnvName(t.Schedule.Trim('%'))), StringComparer.Ordinal);

    public static SortedSet<string> All()
    {
        var all = FromOptions();
        all.UnionWith(FromTimerSchedules());
        return all;
    }

    /// <summary><c>Section:Key</c> (configuration) to <c>Section__Key</c> (environment variables, app settings).</summary>
    public static string EnvName(string configurationKey) => configurationKey.Replace(":", "__", StringComparison.Ordinal);

    private static void AddRequired(Type type, string prefix, ISet<string> names)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = $"{prefix}__{property.Name}";
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
                names.Add(name);
            // Nested option objects (Auth:Throttle) bind from sub-sections.
            else if (property.PropertyType.IsClass && property.PropertyType.Assembly == type.Assembly)
                AddRequired(property.PropertyType, name, names);
        }
    }
}
