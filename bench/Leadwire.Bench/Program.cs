using Leadwire.Bench;
using Leadwire.Bench.Baseline;
using Leadwire.Bench.Crm;

// Three modes: "run" (default) orchestrates the lead-capture benchmark; "crm" the CRM benchmark (list, search, export
// and bulk work on a million seeded leads); "baseline-server" is the reference webhook receiver, started by "run" as a
// child process so that it is measured like Leadwire: a separate process on the same cores.
try
{
    var arguments = BenchArguments.Parse(args);
    return arguments.Mode switch
    {
        BenchMode.Help => PrintHelp(),
        BenchMode.BaselineServer => await BaselineServer.RunAsync(arguments.Port, arguments.Secret),
        BenchMode.Crm => await CrmRunner.RunAsync(arguments),
        _ => await BenchRunner.RunAsync(arguments),
    };
}
catch (BenchUsageException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine("Run with --help for the options.");
    return 2;
}

static int PrintHelp()
{
    Console.WriteLine(BenchArguments.Usage);
    return 0;
}
