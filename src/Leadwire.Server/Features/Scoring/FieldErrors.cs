namespace Leadwire.Features.Scoring;

/// <summary>422 for a request that is well-formed but asks for something invalid, listing the offending fields.</summary>
public static class FieldErrors
{
    public static IResult Unprocessable(Dictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "One or more fields are invalid.",
        });
}
