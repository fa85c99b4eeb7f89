namespace Leadwire.MetaEmulator.State;

/// <summary>Why a control operation was refused, as an HTTP status and a sentence for the ProblemDetails body.</summary>
internal readonly record struct Failure(int Status, string Detail)
{
    public static Failure BadRequest(string detail) => new(400, detail);

    public static Failure NotFound(string detail) => new(404, detail);

    public static Failure Conflict(string detail) => new(409, detail);
}

/// <summary>Either a value or a <see cref="Failure"/>; control handlers turn it into Ok or Problem.</summary>
internal readonly struct Outcome<T>
{
    private Outcome(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }

    public Failure? Failure { get; }

    public static implicit operator Outcome<T>(T value) => FromValue(value);

    public static implicit operator Outcome<T>(Failure failure) => FromFailure(failure);

    public static Outcome<T> FromValue(T value) => new(value, null);

    public static Outcome<T> FromFailure(Failure failure) => new(default, failure);

    public Outcome<TOther> Map<TOther>(Func<T, TOther> map) =>
        Failure is { } failure ? Outcome<TOther>.FromFailure(failure) : Outcome<TOther>.FromValue(map(Value!));
}
