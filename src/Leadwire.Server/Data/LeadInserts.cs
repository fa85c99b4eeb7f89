using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Leadwire.Data;

/// <summary>
/// Inserts new leads with one hand-written multi-row statement instead of EF's change tracker. Lead fetches finish
/// in groups (<c>JobCommitter</c>) inside SQLite's one writer, and EF spent well over half a millisecond per lead
/// there building and running a forty-column insert: the writer, not the CPU, capped capture at ~700 leads a second.
/// The columns, their names and their conversions come from the EF model, so the rows are what EF would write.
/// </summary>
internal static class LeadInserts
{
    /// <summary>Rows per statement: well under SQLite's and PostgreSQL's parameter limits at ~45 columns a row.</summary>
    private const int RowsPerStatement = 50;

    private sealed record Column(string Name, IProperty Property, IClrPropertyGetter Getter, RelationalTypeMapping Mapping);

    /// <summary>One column list per model: tests run a SQLite and a PostgreSQL host in one process.</summary>
    private static readonly ConditionalWeakTable<IModel, Column[]> Shapes = [];

    /// <summary>Inserts <paramref name="leads"/> in the context's current transaction and sets their ids.</summary>
    public static async Task InsertAsync(LeadwireDbContext db, IReadOnlyList<Lead> leads, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Queued leads are inserted inside a transaction.");
        var columns = Shapes.GetValue(db.Model, Describe);
        var byMetaId = leads.ToDictionary(l => l.MetaLeadId, StringComparer.Ordinal);
        foreach (var chunk in leads.Chunk(RowsPerStatement))
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Sql(columns, chunk.Length);
            for (var row = 0; row < chunk.Length; row++)
            {
                for (var c = 0; c < columns.Length; c++)
                {
                    var column = columns[c];
                    var value = column.Getter.GetClrValueUsingContainingEntity(chunk[row]);
                    command.Parameters.Add(column.Mapping.CreateParameter(command, $"@p{row}_{c}", value, column.Property.IsNullable));
                }
            }
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // RETURNING promises no order on either provider; the Meta id is unique.
                byMetaId[reader.GetString(1)].Id = reader.GetInt64(0);
            }
        }
    }

    private static Column[] Describe(IModel model)
    {
        var entity = model.FindEntityType(typeof(Lead)) ?? throw new InvalidOperationException("Lead is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        if (entity.GetProperties().Any(p => p.IsShadowProperty()) || entity.GetProperties().Any(p => p.GetDefaultValueSql() is not null || p.TryGetDefaultValue(out _)))
        {
            // Every column is written from the object; a shadow property or a database default would be lost.
            throw new InvalidOperationException("LeadInserts writes every lead column from the Lead object; give it the new column's rule.");
        }
        return entity.GetProperties()
            .Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never))
            .Select(p => new Column(p.GetColumnName(table)!, p, p.GetGetter(), (RelationalTypeMapping)p.GetRelationalTypeMapping()))
            .ToArray();
    }

    private static readonly ConditionalWeakTable<Column[], string[]> Statements = [];

    /// <summary>The statement for <paramref name="rows"/> rows, built once per row count.</summary>
    private static string Sql(Column[] columns, int rows)
    {
        var cache = Statements.GetValue(columns, _ => new string[RowsPerStatement + 1]);
        return cache[rows] ??= Build(columns, rows);
    }

    private static string Build(Column[] columns, int rows)
    {
        var sql = new StringBuilder("INSERT INTO leads (");
        sql.AppendJoin(", ", columns.Select(c => $"\"{c.Name}\""));
        sql.Append(") VALUES ");
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            sql.AppendJoin(", ", Enumerable.Range(0, columns.Length).Select(c => $"@p{row}_{c}"));
            sql.Append(')');
        }
        sql.Append(" RETURNING id, meta_lead_id");
        return sql.ToString();
    }
}
