using System.Globalization;
using Leadwire.Data;
using Leadwire.Features.Export;
using Leadwire.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Leadwire.Features.Bulk;

/// <summary>
/// The folder bulk exports are written to, and the names inside it. Only a bare file name is stored on the
/// operation, and it is resolved here, so a stored value can never point outside the folder.
/// </summary>
public sealed class BulkExportFiles
{
    public BulkExportFiles(IOptions<BulkOptions> options, IOptions<DatabaseOptions> database, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(configuration);
        Directory = Path.GetFullPath(options.Value.ExportDirectory is { Length: > 0 } configured
            ? configured
            : DefaultDirectory(database.Value.Provider, configuration.GetConnectionString(DatabaseRegistration.ConnectionStringName)));
    }

    /// <summary>Absolute path of the export folder.</summary>
    public string Directory { get; }

    /// <summary>A new file name for an operation's export: the id for people, a random part so nothing guesses or collides.</summary>
    public static string NewFileName(long operationId, ExportFormat format) =>
        $"bulk-{operationId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}.{format.FileExtension()}";

    /// <summary>The file's full path, or null when the stored name is not a plain file name.</summary>
    public string? PathOf(string? fileName) =>
        string.IsNullOrEmpty(fileName) || fileName != Path.GetFileName(fileName) || fileName.StartsWith('.')
            ? null
            : Path.Combine(Directory, fileName);

    /// <summary>Deletes what an interrupted run of the operation left half-written.</summary>
    public void DeletePartials(long operationId)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, $"bulk-{operationId.ToString(CultureInfo.InvariantCulture)}-*.partial"))
        {
            TryDelete(path);
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Still open somewhere (a download in progress); the next expiry run or an operator removes it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string DefaultDirectory(DatabaseProvider provider, string? connectionString)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(connectionString ?? DatabaseRegistration.DefaultSqliteConnectionString).DataSource;
            if (!string.IsNullOrEmpty(file) && file != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(file)) is { Length: > 0 } folder)
            {
                return Path.Combine(folder, "exports");
            }
        }
        return Path.Combine("data", "exports");
    }
}
