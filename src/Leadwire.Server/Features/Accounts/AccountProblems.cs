using System.Globalization;
using Leadwire.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Leadwire.Features.Accounts;

/// <summary>Small helpers the account endpoints share: Identity's errors as field errors, list parameters.</summary>
internal static class AccountProblems
{
    /// <summary>
    /// Identity's password and user rules as a 422 validation problem whose <c>errors</c> name the request's fields
    /// (Identity's own codes are kept in the messages' order).
    /// </summary>
    public static ProblemHttpResult Unprocessable(IdentityResult result, string passwordField)
    {
        var errors = result.Errors
            .GroupBy(e => FieldOf(e.Code, passwordField))
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
        return TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The account could not be saved",
            Detail = "See errors for what to change.",
        });
    }

    private static string FieldOf(string code, string passwordField) => code switch
    {
        nameof(IdentityErrorDescriber.PasswordMismatch) => "current_password",
        _ when code.StartsWith("Password", StringComparison.Ordinal) => passwordField,
        nameof(IdentityErrorDescriber.InvalidEmail) or nameof(IdentityErrorDescriber.DuplicateEmail)
            or nameof(IdentityErrorDescriber.InvalidUserName) or nameof(IdentityErrorDescriber.DuplicateUserName) => "email",
        _ => "account",
    };

    public static int ParseLimit(string? limit, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(limit))
        {
            return Cursor.DefaultLimit;
        }
        if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= Cursor.MaxLimit)
        {
            return value;
        }
        errors["limit"] = [$"limit must be a whole number from 1 to {Cursor.MaxLimit}."];
        return Cursor.DefaultLimit;
    }

    /// <summary>An id cursor (lists ordered by id), or null for the first page.</summary>
    public static long? ParseIdCursor(string? cursor, Dictionary<string, string[]> errors)
    {
        if (cursor is null)
        {
            return null;
        }
        if (Cursor.TryDecode(cursor, out long id))
        {
            return id;
        }
        errors["cursor"] = ["The cursor is not one this API returned."];
        return null;
    }

    public static bool TooLong(string? value, int max) => value is not null && value.Trim().Length > max;
}
