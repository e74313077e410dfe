using System.ComponentModel.DataAnnotations;

namespace ServerlessML.Serving;

/// <summary>How predictions are served (configuration section <c>Serving</c>).</summary>
public sealed class ServingOptions
{
    public const string Section = "Serving";

    /// <summary>How long a model's <c>production</c> alias is trusted before it is read again: the most a new
    /// publish waits to be served without a restart.</summary>
    [Range(0, 3600)]
    public int AliasRefreshSeconds { get; set; } = 10;

    /// <summary>How long, since <c>production</c> was last read, predictions that name no version keep being answered
    /// with the version it pointed at while storage cannot be reached; after that they answer 503 until it can. 0: never.</summary>
    [Range(0, 86400)]
    public int MaxStaleSeconds { get; set; } = 300;

    /// <summary>How many model versions stay loaded; the least recently used one goes first.</summary>
    [Range(1, 1000)]
    public int MaxLoadedModels { get; set; } = 16;

    [Range(1, long.MaxValue)]
    public long MaxRequestBytes { get; set; } = 32L * 1024 * 1024;

    [Range(1, 10_000_000)]
    public int MaxInstances { get; set; } = 100_000;
}
