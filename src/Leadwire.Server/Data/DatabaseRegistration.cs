using Leadwire.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Leadwire.Data;

public static class DatabaseRegistration
{
    public const string ConnectionStringName = "Leadwire";
    public const string DefaultSqliteConnectionString = "Data Source=./data/leadwire.db";

    public static WebApplicationBuilder AddLeadwireDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (options.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new OptionsValidationException("ConnectionStrings:Leadwire", typeof(DatabaseOptions),
                ["ConnectionStrings__Leadwire is required when Leadwire__Database__Provider is postgres."]);
        }

        var dialect = DatabaseDialect.For(options.Provider);
        builder.Services.AddSingleton(dialect);
        builder.Services.AddSingleton<WriteGate>();

        if (options.Provider == DatabaseProvider.Postgres)
        {
            builder.Services.AddDbContextPool<LeadwireDbContext>(o => o.UseNpgsql(connectionString));
        }
        else
        {
            var sqlite = PrepareSqlite(connectionString ?? DefaultSqliteConnectionString);
            var pragmas = new SqlitePragmas(options.SqliteSynchronous, options.SqliteBusyTimeoutMs);
            builder.Services.AddDbContextPool<LeadwireDbContext>(o => o.UseSqlite(sqlite).AddInterceptors(pragmas));
            builder.Services.AddHostedService<SqliteCheckpointer>();
        }

        builder.Services.AddScoped<MigrationRunner>();
        return builder;
    }

    /// <summary>Creates the folder of the database file, so a fresh checkout runs without setup.</summary>
    private static string PrepareSqlite(string connectionString)
    {
        SqliteConnectionStringBuilder parsed;
        try
        {
            parsed = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new OptionsValidationException("ConnectionStrings:Leadwire", typeof(DatabaseOptions),
                [$"ConnectionStrings__Leadwire is not a valid SQLite connection string: {e.Message}"]);
        }

        if (!string.IsNullOrEmpty(parsed.DataSource) && parsed.DataSource != ":memory:" && parsed.Mode != SqliteOpenMode.Memory)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(parsed.DataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }
        return parsed.ToString();
    }
}
