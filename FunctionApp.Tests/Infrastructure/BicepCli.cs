using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace ServerlessML.Tests.Infrastructure;

/// <summary>
/// The Bicep CLI that the NuGet restore brings (<c>Azure.Bicep.CommandLine.linux-x64</c>, its <c>tools/bicep</c>), run
/// on the repository's <c>infra/</c>: nothing is installed by hand, and nothing it runs needs the network.
/// </summary>
internal static class BicepCli
{
    private static readonly Lazy<string> s_path = new(Locate);

    public static string InfraDirectory { get; } = Path.Combine(Azurite.RepoRoot(), "infra");

    public static string MainTemplate { get; } = Path.Combine(InfraDirectory, "main.bicep");

    public static string Config { get; } = Path.Combine(InfraDirectory, "bicepconfig.json");

    /// <summary>Runs <c>bicep</c> with these arguments in <c>infra/</c>.</summary>
    public static async Task<BicepResult> RunAsync(params string[] arguments)
    {
        // The package carries a linux-x64 binary only: elsewhere these tests cannot run, which is not a failure of infra/.
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            Assert.Ignore("The Bicep CLI package the tests restore is for linux-x64; CI runs these tests there.");
        }

        var start = new ProcessStartInfo(s_path.Value)
        {
            WorkingDirectory = InfraDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish in 2 minutes.");
        }

        return new BicepResult(process.ExitCode, await output, await errors);
    }

    private static string Locate()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BicepCli").Value;
        if (path is null || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The Bicep CLI is not where the restore of Azure.Bicep.CommandLine.linux-x64 should have put it ({path}).");
        }

        // NuGet does not always keep the package's executable bit.
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) is var mode && !mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
        }

        return path;
    }
}

/// <summary>What a run of the Bicep CLI printed: diagnostics go to standard error.</summary>
internal sealed record BicepResult(int ExitCode, string Output, string Errors)
{
    public override string ToString() => new StringBuilder()
        .AppendLine(FormattableString.Invariant($"exit code {ExitCode}"))
        .AppendLine(Errors)
        .ToString();
}
