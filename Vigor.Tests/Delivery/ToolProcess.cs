using System.Diagnostics;

namespace Vigor.Tests.Delivery;

internal sealed record ToolResult(int ExitCode, string Output, TimeSpan Elapsed);

/// <summary>Runs a repository script or CLI with a timeout; the delivery tests call the same tools CI and developers do.</summary>
internal static class ToolProcess
{
    public static async Task<ToolResult> RunAsync(string file, IEnumerable<string> args, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                psi.Environment.Remove(name);
            else
                psi.Environment[name] = value;
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} did not finish within {timeout}");
        }
        return new ToolResult(process.ExitCode, (await stdout) + (await stderr), clock.Elapsed);
    }
}
