using Leadwire.MetaEmulator.State;

namespace Leadwire.MetaEmulator.Graph;

/// <summary>One Graph request on its way through authentication, faults and the handler.</summary>
internal sealed class GraphCall(HttpContext http, GraphRoute route, EmulatorState state)
{
    public HttpContext Http => http;

    public GraphRoute Route => route;

    public EmulatorState State => state;

    public string Method => http.Request.Method;

    public GraphEndpoint Endpoint { get; set; }

    public GraphTarget Target { get; set; }

    public GraphParams? Params { get; set; }

    /// <summary>The page whose valid token made the call; null for app tokens and failed authentication.</summary>
    public PageState? TokenPage { get; set; }

    public bool IsAppToken { get; set; }

    public bool HadToken { get; set; }

    public bool HadProof { get; set; }

    public int? ErrorCode { get; set; }

    /// <summary>Usage values of a fault, reported instead of the configured throttle.</summary>
    public UsageThrottle? UsageOverride { get; set; }

    public string? Param(string name) => Params?.Get(name);
}
