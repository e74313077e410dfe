using System.ComponentModel.DataAnnotations;
using ServerlessML.Data;

namespace ServerlessML.Training;

/// <summary>Limits on what a training request may send (configuration section <c>Training</c>).</summary>
public sealed class TrainingOptions
{
    public const string Section = "Training";

    /// <summary>The largest request body accepted; the Functions host itself stops at 100 MB.</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>The largest dataset <c>PUT /api/datasets/{name}</c> accepts. It is streamed, never held in memory;
    /// under the Functions host a body over 100 MB also needs <c>FUNCTIONS_REQUEST_BODY_SIZE_LIMIT</c>.</summary>
    [Range(1, long.MaxValue)]
    public long MaxDatasetBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>The most a caller may ask <c>?wait=</c> to hold the request open for a result.</summary>
    [Range(0, 230)]
    public int MaxWaitSeconds { get; set; } = 60;

    /// <summary>More distinct values than this in a text column is refused as an identifier, not a category.</summary>
    [Range(2, 100_000)]
    public int MaxCategoricalLevels { get; set; } = 1000;

    /// <summary>The most columns a dataset may have, label included; time to fit the feature transforms grows faster than
    /// the column count.</summary>
    [Range(2, 100_000)]
    public int MaxColumns { get; set; } = 1000;

    /// <summary>The most feature values one run may train on: rows × features, a categorical feature counting once per
    /// category. The trainer's matrix takes 4 bytes per value, so the default is about 800 MB of it.</summary>
    [Range(1, long.MaxValue)]
    public long MaxCells { get; set; } = 200_000_000;

    /// <summary>The most SDCA passes a request may ask for; ML.NET sets aside memory for every pass it may make.</summary>
    [Range(1, 1_000_000)]
    public int MaxIterations { get; set; } = 10_000;

    /// <summary>A sweep's time budget: once it has run this long it starts no new candidates and picks from those done.</summary>
    [Range(0, 86_400)]
    public int MaxSweepSeconds { get; set; } = 600;

    /// <summary>Memory an instance keeps its recently prepared datasets in (<see cref="PreparedDataCache"/>), so that the
    /// next steps of a run, and the next run on the same bytes, read them neither from storage nor as text; 0 turns it
    /// off. A dataset bigger than this is not kept. The default holds three 1,000,000 × 20 datasets, and keeps a host
    /// that trains on 10,000,000 rows under 2 GB (BENCHMARKS.md, case 2).</summary>
    [Range(0, 1_048_576)]
    public int DataCacheMegabytes { get; set; } = 256;

    /// <summary>The limits a dataset is read under.</summary>
    public DatasetReadOptions DatasetLimits() => new()
    {
        MaxColumns = MaxColumns,
        MaxCategoricalLevels = MaxCategoricalLevels,
        MaxCells = MaxCells,
    };
}
