using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Leadwire.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Leadwire.Features.Export;

/// <summary>
/// Reads export rows on SQLite as one JSON array per lead (<c>json_array</c> of the projection's columns) rather than
/// one value per column. Microsoft.Data.Sqlite pays a P/Invoke — with a SafeHandle reference count and SQLite's
/// connection mutex — for every value it reads, and at 36 columns that was most of a million-lead export's time
/// (perf on bench/: a million rows read column by column took 17 s, stepping through them 2 s). PostgreSQL's driver
/// reads a row in one go and keeps the plain projection.
/// </summary>
/// <remarks>
/// The columns, their order and the conversions all come from <see cref="ExportRow.Projection"/> and the EF model
/// (column names, value converters), so this path and the projection cannot drift apart; a test compares them.
/// </remarks>
internal sealed class SqliteExportRows
{
    private static SqliteExportRows? _shared;

    private readonly string _select;
    private readonly Func<Cells, ExportRow> _build;
    private readonly int _columns;

    private SqliteExportRows(IEntityType lead)
    {
        if (ExportRow.Projection.Body is not MemberInitExpression init)
        {
            throw new InvalidOperationException("ExportRow.Projection must be a member initialiser.");
        }
        var table = StoreObjectIdentifier.Table(lead.GetTableName()!, lead.GetSchema());
        var cells = Expression.Parameter(typeof(Cells), "cells");
        var columns = new List<string>();
        var bindings = new List<MemberBinding>();
        foreach (var binding in init.Bindings.Cast<MemberAssignment>())
        {
            if (binding.Expression is not MemberExpression { Member: PropertyInfo source })
            {
                throw new InvalidOperationException($"ExportRow.{binding.Member.Name} must read a lead property as it is.");
            }
            var property = lead.FindProperty(source.Name)
                ?? throw new InvalidOperationException($"Lead.{source.Name} is not mapped.");
            columns.Add("\"" + property.GetColumnName(table) + "\"");
            bindings.Add(Expression.Bind(binding.Member, Read(cells, columns.Count - 1, property, ((PropertyInfo)binding.Member).PropertyType)));
        }
        _columns = columns.Count;
        _select = $"SELECT json_array({string.Join(", ", columns)}) FROM \"{lead.GetTableName()}\" WHERE \"id\" IN (SELECT value FROM json_each(@ids)) ORDER BY \"id\"";
        _build = Expression.Lambda<Func<Cells, ExportRow>>(Expression.MemberInit(init.NewExpression, bindings), cells).Compile();
    }

    public static SqliteExportRows For(LeadwireDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        // The model is the same for every SQLite context, so the statement and the compiled reader are built once.
        return _shared ??= new SqliteExportRows(db.Model.FindEntityType(typeof(Lead))!);
    }

    /// <summary>
    /// Opens the connections of one export's reads. Rows are read on two connections at once, each half of a batch
    /// on its own thread: turning SQLite's values into strings is most of a read, and one thread of it could not keep
    /// up with the writer (two cores: a million-lead export went from one busy core to both).
    /// </summary>
    public Session Open(LeadwireDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return new Session(this, db.Database.GetConnectionString()!);
    }

    /// <summary>An export's reading connections (opened on first use, closed with the session).</summary>
    internal sealed class Session(SqliteExportRows rows, string connectionString) : IAsyncDisposable
    {
        /// <summary>Below this, a batch is read on one connection: a second thread would cost more than it saves.</summary>
        private const int SplitAbove = 256;

        private readonly SqliteConnection?[] _connections = new SqliteConnection?[2];

        /// <summary>The rows of these lead ids, in id order (ids that do not exist are skipped).</summary>
        public async Task<List<ExportRow>> ReadAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(ids);
            if (ids.Count <= SplitAbove)
            {
                return await ReadOnAsync(0, ids, cancellationToken);
            }
            var half = ids.Count / 2;
            var second = Task.Run(() => ReadOnAsync(1, ids.Skip(half).ToList(), cancellationToken), cancellationToken);
            var first = await ReadOnAsync(0, ids.Take(half).ToList(), cancellationToken);
            first.AddRange(await second);
            return first;
        }

        private async Task<List<ExportRow>> ReadOnAsync(int slot, IReadOnlyList<long> ids, CancellationToken cancellationToken)
        {
            var result = new List<ExportRow>(ids.Count);
            if (ids.Count == 0)
            {
                return result;
            }
            var connection = _connections[slot];
            if (connection is null)
            {
                connection = _connections[slot] = new SqliteConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
            }
            await using var command = connection.CreateCommand();
            command.CommandText = rows._select;
            command.Parameters.AddWithValue("@ids", JsonSerializer.Serialize(ids));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var cells = new Cells(rows._columns);
            while (await reader.ReadAsync(cancellationToken))
            {
                cells.Load(reader);
                result.Add(rows._build(cells));
            }
            return result;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var connection in _connections)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }
        }
    }

    /// <summary>The expression that reads one cell as the property's type, through the model's converter if it has one.</summary>
    private static Expression Read(ParameterExpression cells, int index, IProperty property, Type target)
    {
        var converter = property.GetTypeMapping().Converter;
        var modelType = Nullable.GetUnderlyingType(target) ?? target;
        var providerType = converter?.ProviderClrType ?? modelType;
        Expression value = Expression.Call(cells, Reader(providerType), Expression.Constant(index));
        if (converter is not null)
        {
            var fromProvider = converter.ConvertFromProviderExpression;
            value = Expression.Invoke(fromProvider, Expression.Convert(value, fromProvider.Parameters[0].Type));
            value = Expression.Convert(value, modelType);
        }
        if (target == typeof(string))
        {
            return value;
        }
        // A value type: a null cell gives the type's default (null for a nullable property).
        return Expression.Condition(
            Expression.Call(cells, typeof(Cells).GetMethod(nameof(Cells.IsNull))!, Expression.Constant(index)),
            Expression.Default(target),
            Expression.Convert(value, target));
    }

    private static MethodInfo Reader(Type providerType)
    {
        var name = providerType switch
        {
            _ when providerType == typeof(string) => nameof(Cells.Text),
            _ when providerType == typeof(long) => nameof(Cells.Int64),
            _ when providerType == typeof(int) => nameof(Cells.Int32),
            _ when providerType == typeof(bool) => nameof(Cells.Boolean),
            _ when providerType == typeof(DateTime) => nameof(Cells.Time),
            _ => throw new InvalidOperationException($"An export column of type {providerType.Name} has no SQLite reader."),
        };
        return typeof(Cells).GetMethod(name)!;
    }

    /// <summary>One row's cells: the JSON array parsed forward-only into reused buffers.</summary>
    internal sealed class Cells(int count)
    {
        private readonly string?[] _text = new string?[count];
        private readonly long[] _numbers = new long[count];
        private readonly bool[] _null = new bool[count];
        private byte[] _utf8 = new byte[4096];

        /// <summary>Parses the current row's JSON, copied as SQLite holds it (UTF-8) into a reused buffer.</summary>
        public void Load(SqliteDataReader row)
        {
            var length = (int)row.GetBytes(0, 0, null, 0, 0);
            if (_utf8.Length < length)
            {
                _utf8 = new byte[Math.Max(length, 2 * _utf8.Length)];
            }
            row.GetBytes(0, 0, _utf8, 0, length);
            Load(_utf8.AsSpan(0, length));
        }

        private void Load(ReadOnlySpan<byte> json)
        {
            var reader = new Utf8JsonReader(json);
            reader.Read();
            for (var i = 0; i < _text.Length; i++)
            {
                reader.Read();
                _null[i] = reader.TokenType == JsonTokenType.Null;
                _text[i] = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                // SQLite stores booleans and integers alike as integers; a REAL never appears in an export column.
                _numbers[i] = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : 0;
            }
        }

        public bool IsNull(int index) => _null[index];

        public string? Text(int index) => _text[index] ?? (_null[index] ? null : _numbers[index].ToString(CultureInfo.InvariantCulture));

        public long Int64(int index) => _numbers[index];

        public int Int32(int index) => checked((int)_numbers[index]);

        public bool Boolean(int index) => _numbers[index] != 0;

        /// <summary>A time as EF Core's SQLite provider writes it ("yyyy-MM-dd HH:mm:ss.FFFFFFF"), or any ISO-8601 form.</summary>
        public DateTime Time(int index)
        {
            var text = _text[index];
            if (text is null)
            {
                return default;
            }
            return ExportTime.TryParseStored(text, out var exact)
                ? exact
                : DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        }
    }
}
