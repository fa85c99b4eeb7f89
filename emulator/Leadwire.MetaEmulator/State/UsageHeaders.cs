namespace Leadwire.MetaEmulator.State;

/// <summary>Builds the JSON text of Meta's usage headers once per throttle change, not per request.</summary>
internal static class UsageHeaders
{
    public static readonly UsageThrottle Zero = new();

    public static string App(UsageThrottle usage) =>
        $"{{\"call_count\":{usage.CallCount},\"total_time\":{usage.TotalTime},\"total_cputime\":{usage.TotalCputime}}}";

    public static string Business(string pageId, UsageThrottle usage) =>
        $"{{\"{pageId}\":[{{\"type\":\"leadgen\",\"call_count\":{usage.CallCount},\"total_cputime\":{usage.TotalCputime},"
        + $"\"total_time\":{usage.TotalTime},\"estimated_time_to_regain_access\":{usage.EstimatedTimeToRegainAccess}}}]}}";
}
