using System.Globalization;

namespace Leadwire.Bench.Infrastructure;

/// <summary>
/// Memory of a Linux process from <c>/proc/&lt;pid&gt;/status</c>: VmRSS (resident now) and VmHWM (the kernel's
/// high-water mark of VmRSS since the process started), both in KiB.
/// </summary>
public sealed record ProcessMemory(long RssKb, long PeakRssKb)
{
    public static ProcessMemory Read(int processId) =>
        TryRead(processId) ?? throw new InvalidOperationException($"/proc/{processId}/status is not readable (Linux only; is the process alive?).");

    public static ProcessMemory? TryRead(int processId)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{processId}/status");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        long? rss = null, hwm = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kilobytes(line);
            }
        }
        return rss is null || hwm is null ? null : new ProcessMemory(rss.Value, hwm.Value);
    }

    // "VmRSS:	  123456 kB"
    private static long Kilobytes(string line)
    {
        var value = line.AsSpan(line.IndexOf(':', StringComparison.Ordinal) + 1).Trim();
        var space = value.IndexOf(' ');
        return long.Parse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
