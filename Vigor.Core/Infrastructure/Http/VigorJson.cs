using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigor.Core.Infrastructure.Http;

public static class VigorJson
{
    /// <summary>The one set of JSON options for request and response bodies: camelCase, unknown members ignored.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        MaxDepth = 32,
    };
}
