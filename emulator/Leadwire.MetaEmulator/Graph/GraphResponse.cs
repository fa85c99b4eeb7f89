using System.Buffers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Leadwire.MetaEmulator.State;

namespace Leadwire.MetaEmulator.Graph;

/// <summary>
/// Writes Graph bodies into a per-thread buffer and copies them to the response with a Content-Length.
/// Contract: between <see cref="StartBody"/> and the Send call there is no await, so the buffer cannot be
/// shared by two requests.
/// </summary>
internal static class GraphResponse
{
    private const int KeepBufferBytes = 1 << 20;
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonEncodedText Success = JsonEncodedText.Encode("success");
    private static readonly JsonEncodedText ErrorName = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText Code = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText Subcode = JsonEncodedText.Encode("error_subcode");
    private static readonly JsonEncodedText IsTransient = JsonEncodedText.Encode("is_transient");
    private static readonly JsonEncodedText UserTitle = JsonEncodedText.Encode("error_user_title");
    private static readonly JsonEncodedText UserMessage = JsonEncodedText.Encode("error_user_msg");
    private static readonly JsonEncodedText TraceId = JsonEncodedText.Encode("fbtrace_id");

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static Utf8JsonWriter StartBody()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        if (t_writer is { } writer)
        {
            writer.Reset(buffer);
            return writer;
        }

        return t_writer = new Utf8JsonWriter(buffer, WriterOptions);
    }

    public static Task SendAsync(GraphCall call, int status = StatusCodes.Status200OK)
    {
        var writer = t_writer!;
        var buffer = t_buffer!;
        writer.Flush();
        var response = call.Http.Response;
        response.StatusCode = status;
        WriteHeaders(call);
        response.ContentType = "application/json; charset=UTF-8";
        response.ContentLength = buffer.WrittenCount;
        response.BodyWriter.Write(buffer.WrittenSpan);
        if (buffer.Capacity > KeepBufferBytes)
        {
            t_buffer = null;
            t_writer = null;
        }

        return response.BodyWriter.FlushAsync(call.Http.RequestAborted).AsTask();
    }

    public static Task SendSuccessAsync(GraphCall call)
    {
        var writer = StartBody();
        writer.WriteStartObject();
        writer.WriteBoolean(Success, true);
        writer.WriteEndObject();
        return SendAsync(call);
    }

    public static Task SendErrorAsync(GraphCall call, GraphError error)
    {
        call.ErrorCode = error.Code;
        var writer = StartBody();
        writer.WriteStartObject();
        writer.WriteStartObject(ErrorName);
        writer.WriteString(Message, error.Message);
        writer.WriteString(Type, error.Type);
        writer.WriteNumber(Code, error.Code);
        if (error.Subcode is { } subcode)
        {
            writer.WriteNumber(Subcode, subcode);
        }

        if (error.IsTransient is { } transient)
        {
            writer.WriteBoolean(IsTransient, transient);
        }

        if (error.UserTitle is { } title)
        {
            writer.WriteString(UserTitle, title);
        }

        if (error.UserMessage is { } userMessage)
        {
            writer.WriteString(UserMessage, userMessage);
        }

        writer.WriteString(TraceId, NewTraceId());
        writer.WriteEndObject();
        writer.WriteEndObject();
        return SendAsync(call, error.Status);
    }

    private static void WriteHeaders(GraphCall call)
    {
        var headers = call.Http.Response.Headers;
        var usage = call.UsageOverride;
        headers["X-App-Usage"] = usage is null ? call.State.AppUsageHeader : UsageHeaders.App(usage);
        var page = call.TokenPage ?? (usage is null ? null : call.Target.Page);
        if (page is not null)
        {
            headers["X-Business-Use-Case-Usage"] = usage is null ? page.UsageHeader : UsageHeaders.Business(page.Id, usage);
        }

        headers["facebook-api-version"] = call.Route.Version;
    }

    private static string NewTraceId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return "A" + System.Buffers.Text.Base64Url.EncodeToString(bytes);
    }
}
