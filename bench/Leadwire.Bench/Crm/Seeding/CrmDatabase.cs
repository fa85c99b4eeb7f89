using System.Data.Common;
using System.Diagnostics;
using Leadwire.Bench.Storage;

namespace Leadwire.Bench.Crm.Seeding;

/// <summary>How long seeding took, step by step.</summary>
public sealed record SeedTimings(double LeadsSeconds, double IndexesSeconds, double AnalyzeSeconds, long DatabaseBytes)
{
    public double TotalSeconds => LeadsSeconds + IndexesSeconds + AnalyzeSeconds;
}

/// <summary>One timed statement the bench ran straight on the database: the baselines of the API figures.</summary>
public sealed record RawQueryResult(double Milliseconds, int Rows, IReadOnlyList<object?> LastRow);

/// <summary>
/// The server's database seen from the bench: seeding it (while no server runs on it) and timing raw SQL on it for
/// the baselines. The schema comes from the server's own migrations (it is started once on the empty database).
/// </summary>
public abstract class CrmDatabase(BenchDatabase database) : IAsyncDisposable
{
    public BenchDatabase Server { get; } = database;

    public string Provider => Server.Provider;

    /// <summary>The server's connection string (it points at the database the phase created).</summary>
    protected string ConnectionString => Server.ServerEnvironment["ConnectionStrings__Leadwire"];

    public static CrmDatabase For(BenchDatabase database) => database.Provider == "postgres"
        ? new PostgresCrmDatabase(database)
        : new SqliteCrmDatabase(database);

    /// <summary>
    /// An open connection: read-only ones come from a pool (as the server's do, so the timed queries do not pay for
    /// opening); writable ones are only used while the server is stopped, or for the bulk baseline.
    /// </summary>
    protected abstract Task<DbConnection> OpenAsync(bool write, CancellationToken cancellationToken);

    /// <summary>Writes every generated lead (with its tags and events) and builds the indexes; the server is stopped.</summary>
    public abstract Task<(double LeadsSeconds, double IndexesSeconds)> LoadLeadsAsync(CrmLeadGenerator generator, Action<string> progress, CancellationToken cancellationToken);

    /// <summary>Planner statistics (and, on PostgreSQL, the visibility map) as a long-running database would have them.</summary>
    public abstract Task AnalyzeAsync(CancellationToken cancellationToken);

    public abstract Task<long> SizeInBytesAsync(CancellationToken cancellationToken);

    /// <summary>The workspace and owner the server's bootstrap created on the empty database.</summary>
    public async Task<(long WorkspaceId, long OwnerUserId, string OwnerEmail)> ReadBootstrapAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(false, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT m.workspace_id, u.id, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.role = 'Owner' ORDER BY m.workspace_id LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("The server created no owner on the empty database (is Leadwire__Bootstrap__ApiToken set?).");
        }
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2));
    }

    /// <summary>The agents (users with an Agent membership), created without passwords: they are only assignees here.</summary>
    public async Task<IReadOnlyList<CrmAgent>> InsertAgentsAsync(long workspaceId, DateTime now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(true, cancellationToken);
        var agents = new List<CrmAgent>();
        foreach (var email in CrmWorkspace.AgentEmails)
        {
            await using var user = connection.CreateCommand();
            user.CommandText =
                "INSERT INTO users (email, normalized_email, display_name, security_stamp, access_failed_count, lockout_enabled, language, created_at) " +
                "VALUES (@email, @normalized, @name, @stamp, 0, @lockout, 'en', @now) RETURNING id";
            Add(user, "@email", email);
            Add(user, "@normalized", email.ToUpperInvariant());
            Add(user, "@name", email[..email.IndexOf('@', StringComparison.Ordinal)]);
            Add(user, "@stamp", Guid.NewGuid().ToString("N"));
            Add(user, "@lockout", Bool(true));
            Add(user, "@now", now);
            var id = Convert.ToInt64(await user.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);

            await using var membership = connection.CreateCommand();
            membership.CommandText = "INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (@workspace, @user, 'Agent', @now)";
            Add(membership, "@workspace", workspaceId);
            Add(membership, "@user", id);
            Add(membership, "@now", now);
            await membership.ExecuteNonQueryAsync(cancellationToken);
            agents.Add(new CrmAgent(id, email));
        }
        return agents;
    }

    /// <summary>
    /// The pages and forms, as registering a page and syncing its forms would store them. The page token is not a
    /// real Data Protection ciphertext: nothing in the CRM bench calls Meta, so nothing decrypts it.
    /// </summary>
    public async Task InsertPagesAndFormsAsync(CrmWorkspace workspace, DateTime now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(true, cancellationToken);
        foreach (var page in workspace.Pages)
        {
            await using var command = connection.CreateCommand();
            command.CommandText =
                "INSERT INTO pages (id, workspace_id, meta_page_id, name, access_token_protected, status, created_at, updated_at, token_updated_at, forms_synced_at) " +
                "VALUES (@id, @workspace, @meta, @name, 'bench-not-a-real-token', 'Active', @now, @now, @now, @now)";
            Add(command, "@id", page.Id);
            Add(command, "@workspace", workspace.WorkspaceId);
            Add(command, "@meta", page.MetaPageId);
            Add(command, "@name", page.Name);
            Add(command, "@now", now);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var form in workspace.Forms)
        {
            await using var command = connection.CreateCommand();
            command.CommandText =
                "INSERT INTO forms (id, page_id, meta_form_id, name, status, locale, questions_json, meta_created_time, synced_at) " +
                "VALUES (@id, @page, @meta, @name, 'ACTIVE', 'en_US', @questions, @created, @now)";
            Add(command, "@id", form.Id);
            Add(command, "@page", form.PageId);
            Add(command, "@meta", form.MetaFormId);
            Add(command, "@name", form.Name);
            Add(command, "@questions", form.QuestionsJson);
            Add(command, "@created", now - TimeSpan.FromDays(400));
            Add(command, "@now", now);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await AfterExplicitIdsAsync(connection, cancellationToken);
    }

    /// <summary>PostgreSQL: moves identity sequences past the ids the bench chose. SQLite does that by itself.</summary>
    protected virtual Task AfterExplicitIdsAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A boolean parameter as the provider stores it (SQLite: 0/1).</summary>
    protected abstract object Bool(bool value);

    /// <summary>Runs one query and reads every row to the end (every column's value), timed on this side.</summary>
    public async Task<RawQueryResult> QueryAsync(string sql, IReadOnlyList<(string Name, object Value)> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(false, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }
        var clock = Stopwatch.StartNew();
        var rows = 0;
        object?[] last = [];
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            var values = new object?[reader.FieldCount];
            while (await reader.ReadAsync(cancellationToken))
            {
                reader.GetValues(values!);
                rows++;
            }
            if (rows > 0)
            {
                last = values;
            }
        }
        return new RawQueryResult(clock.Elapsed.TotalMilliseconds, rows, last);
    }

    /// <summary>Runs statements in one transaction and commits; returns the time and the rows the last one changed.</summary>
    public async Task<(double Seconds, int Rows)> ExecuteInTransactionAsync(IReadOnlyList<string> statements, IReadOnlyList<(string Name, object Value)> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(true, cancellationToken);
        var clock = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = 0;
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.CommandTimeout = 600;
            foreach (var (name, value) in parameters)
            {
                Add(command, name, value);
            }
            rows = await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return (clock.Elapsed.TotalSeconds, rows);
    }

    public async Task<long> CountAsync(string sql, IReadOnlyList<(string Name, object Value)> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(false, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
