namespace CallTracking.Engine.Api;

/// <summary>RFC 9457 problem responses the endpoints return. Type, title and instance are filled in by the problem details service.</summary>
internal static class ApiProblems
{
    public static IResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict);

    public static IResult UnsupportedMediaType(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status415UnsupportedMediaType);

    public static IResult BadRequest(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>400 with an <c>errors</c> member: request member (or query parameter) → what is wrong with it.</summary>
    public static IResult Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: "The request has invalid members; see errors.");
}
