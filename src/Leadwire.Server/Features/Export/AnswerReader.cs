using System.Text;
using System.Text.Json;

namespace Leadwire.Features.Export;

/// <summary>
/// Puts a lead's answers (its answers JSON, an object of strings) into the export's custom answer cells. Reads the
/// JSON forward-only from a reused buffer and matches names without allocating them: a million leads are a million
/// of these, and building a document for each was one of the export's largest costs.
/// </summary>
internal sealed class AnswerReader
{
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _columns;
    private byte[] _utf8 = new byte[4096];
    private char[] _name = new char[256];

    public AnswerReader(LeadExportColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = new Dictionary<string, int>(columns.AnswerIndex, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Sets the cells of the answers present; leaves the others as they are.</summary>
    public void Fill(string?[] values, string? answersJson)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (string.IsNullOrEmpty(answersJson) || answersJson.Length <= 2)
        {
            return;
        }
        var max = Encoding.UTF8.GetMaxByteCount(answersJson.Length);
        if (_utf8.Length < max)
        {
            _utf8 = new byte[max];
        }
        var length = Encoding.UTF8.GetBytes(answersJson, _utf8);
        try
        {
            Read(values, new Utf8JsonReader(_utf8.AsSpan(0, length)));
        }
        catch (JsonException)
        {
            // Leadwire writes the answers itself; a broken one leaves only its own cells empty.
        }
    }

    private void Read(string?[] values, Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // An unescaped name never has more characters than its UTF-8 bytes.
            if (_name.Length < reader.ValueSpan.Length)
            {
                _name = new char[reader.ValueSpan.Length];
            }
            var found = _columns.TryGetValue(_name.AsSpan(0, reader.CopyString(_name)), out var index);
            if (!reader.Read())
            {
                return;
            }
            if (!found)
            {
                reader.Skip();
                continue;
            }
            values[index] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Null => null,
                JsonTokenType.StartObject or JsonTokenType.StartArray => JsonElement.ParseValue(ref reader).GetRawText(),
                _ => Encoding.UTF8.GetString(reader.ValueSpan),
            };
        }
    }
}
