using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Vigor.Core.Exercises;
using Vigor.Core.Infrastructure.Http;
using Vigor.Functions.Infrastructure;

namespace Vigor.Functions.Exercises;

internal sealed class ExercisesApi(ExerciseService exercises)
{
    [Function(nameof(ListExercises))]
    [ApiDoc("Training", "Search the exercise catalogue; every given filter must hold, name matches rank first",
        Response = typeof(Page<Exercise>), Errors = [400])]
    [ApiQuery("muscle", "string", "A muscle id (quads), a common name (pecs) or a group (legs)")]
    [ApiQuery("equipment", "string", "Comma-separated equipment kinds; exercises that use any of them")]
    [ApiQuery("level", "string", "beginner, intermediate, advanced or expert")]
    [ApiQuery("q", "string", "Words of the name, or a muscle")]
    [ApiQuery("limit", "integer", "Page size, 1-100 (default 20)")]
    [ApiQuery("cursor", "string", "The nextCursor of the previous page")]
    public IResult ListExercises([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/exercises")] HttpRequest req)
    {
        var query = req.Query;
        return exercises.Search(new ExerciseQuery(query["muscle"], query["equipment"], query["level"], query["q"], query["limit"], query["cursor"]))
            .ToResult(TypedResults.Ok);
    }

    [Function(nameof(GetExercise))]
    [ApiDoc("Training", "One catalogue exercise: muscles, equipment, level, mechanic, pattern, loaded areas, instructions",
        Response = typeof(Exercise), Errors = [404])]
    public IResult GetExercise([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/exercises/{id}")] HttpRequest req, string id)
        => exercises.Get(id).ToResult(TypedResults.Ok);

    [Function(nameof(ListExerciseAlternatives))]
    [ApiDoc("Training", "Up to 10 swaps for an exercise: same movement pattern and primary muscles, best first",
        Response = typeof(IReadOnlyList<Exercise>), Errors = [400, 404])]
    [ApiQuery("equipment", "string", "Comma-separated equipment kinds the swap may use (bodyweight is always allowed); any when absent")]
    public IResult ListExerciseAlternatives(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/exercises/{id}/alternatives")] HttpRequest req, string id)
        => exercises.Alternatives(id, req.Query["equipment"]).ToResult(TypedResults.Ok);
}
