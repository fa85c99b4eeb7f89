namespace Leadwire.MetaEmulator.Graph;

internal sealed class GraphStats
{
    private readonly long[] _requests = new long[GraphEndpointNames.Count];
    private readonly long[] _errors = new long[GraphEndpointNames.Count];

    public void Record(GraphEndpoint endpoint, bool failed)
    {
        Interlocked.Increment(ref _requests[(int)endpoint]);
        if (failed)
        {
            Interlocked.Increment(ref _errors[(int)endpoint]);
        }
    }

    public void Clear()
    {
        for (var i = 0; i < _requests.Length; i++)
        {
            Interlocked.Exchange(ref _requests[i], 0);
            Interlocked.Exchange(ref _errors[i], 0);
        }
    }

    public GraphStatsView ToView()
    {
        var endpoints = new Dictionary<string, EndpointStats>(StringComparer.Ordinal);
        long requests = 0, errors = 0;
        for (var i = 0; i < _requests.Length; i++)
        {
            var count = Interlocked.Read(ref _requests[i]);
            var failed = Interlocked.Read(ref _errors[i]);
            requests += count;
            errors += failed;
            if (count > 0)
            {
                endpoints[((GraphEndpoint)i).Name()] = new EndpointStats { Requests = count, Errors = failed };
            }
        }

        return new GraphStatsView { TotalRequests = requests, TotalErrors = errors, Endpoints = endpoints };
    }
}
