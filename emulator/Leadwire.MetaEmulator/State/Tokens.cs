using System.Security.Cryptography;

namespace Leadwire.MetaEmulator.State;

internal static class Tokens
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Looks like a Meta token ("EAA..."), marked EMU so it is never mistaken for a real one.</summary>
    public static string NewPageToken() => "EAAEMU" + RandomNumberGenerator.GetString(Alphabet, 48);
}
