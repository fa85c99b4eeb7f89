namespace Leadwire.Features.Jobs;

/// <summary>Retrying cannot help (bad payload, unknown page, malformed delivery): dead-letter with this reason.</summary>
public sealed class PermanentJobFailureException(string reason) : Exception(reason);

/// <summary>The job cannot run until something outside it changes (a new page token): park it.</summary>
public sealed class JobParkedException(string reason) : Exception(reason);

/// <summary>Another runner took the job over after our lease ran out; our writes are rolled back.</summary>
public sealed class JobLeaseLostException(long jobId) : Exception($"Lease on job {jobId} was lost.");
