using System.Data.Common;

namespace Leadwire.Data;

/// <summary>Provider-neutral parameters for the few statements written by hand (migrations, claims, the inbox).</summary>
internal static class DbCommandExtensions
{
    public static void AddParameter(this DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
