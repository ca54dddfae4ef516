using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Vigor.Functions.Infrastructure;

internal sealed class OpenApiApi
{
    [Function(nameof(GetOpenApiDocument)), Anonymous]
    [ApiDoc("Meta", "This OpenAPI 3.1 document")]
    public IResult GetOpenApiDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest req)
        => TypedResults.Text(OpenApiDocument.Json, "application/json");
}
