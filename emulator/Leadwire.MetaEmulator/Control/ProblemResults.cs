using Leadwire.MetaEmulator.State;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadwire.MetaEmulator.Control;

internal static class ProblemResults
{
    public static Results<Ok<T>, ProblemHttpResult> ToResult<T>(this Outcome<T> outcome) =>
        outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(outcome.Value!);

    public static ProblemHttpResult ToProblem(this Failure failure) =>
        TypedResults.Problem(detail: failure.Detail, statusCode: failure.Status);
}
