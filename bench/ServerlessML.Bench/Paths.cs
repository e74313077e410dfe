namespace ServerlessML.Bench;

/// <summary>Where the repository and the built local host are.</summary>
internal static class Paths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The local host as bench/run.sh builds it: Release, with the echo baseline endpoint.</summary>
    public static string LocalHost => Path.Combine(Out, "localhost", "FunctionApp.LocalHost.dll");

    /// <summary>Azurite with blob, queue and table: the models and datasets, and the durable task hub.</summary>
    public static string Azurite => Path.Combine(Root, "node_modules", "azurite", "dist", "src", "azurite.js");

    public static string Out => Path.Combine(Root, "bench", "out");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ServerlessML.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }
}
