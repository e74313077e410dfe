using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessML.Data;

namespace ServerlessML.Training;

/// <summary>
/// Which read of which bytes a prepared dataset is: the SHA-256 of the dataset as stored, its format, and every read
/// option that can change what reading it gives (the label, the kinds already known, the limits it was checked
/// against). Equal keys are equal datasets, on any worker, whatever blob the bytes were found in.
/// </summary>
public sealed record PreparedDataKey(string Sha256, DatasetFormat Format, string? Label, string? Kinds, int MaxColumns, int MaxCategoricalLevels, long MaxCells)
{
    public static PreparedDataKey Of(string sha256, DatasetFormat format, DatasetReadOptions options) => new(
        sha256, format, options.Label, KindsOf(options.Kinds), options.MaxColumns, options.MaxCategoricalLevels, options.MaxCells);

    // One string, so that the record's equality compares the kinds by value. Each name goes with its length, so that
    // no name, whatever it holds, can make two different sets of kinds read the same.
    private static string? KindsOf(IReadOnlyDictionary<string, ColumnKind>? kinds) => kinds is null ? null
        : kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Aggregate(
            new StringBuilder(),
            (text, k) => text.Append(k.Key.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(k.Key).Append('=').Append(k.Value).Append(';'),
            text => text.ToString());
}

/// <summary>The seeded split of a prepared dataset: a pure function of the dataset and these two numbers
/// (<see cref="DatasetSplit.Rows"/>), so any worker holding the dataset can take either side of it again.</summary>
public sealed record SplitKey(PreparedDataKey Data, double TestFraction, int Seed);

/// <summary>
/// The datasets this instance prepared lately, held in memory so that the next steps of a run, and the next run on the
/// same bytes, neither download nor parse them again (issue 10, data locality). Bounded by
/// <see cref="TrainingOptions.DataCacheMegabytes"/>: the least recently used goes first, and a dataset bigger than the
/// whole budget is not kept. Blob storage stays the source of truth: every split is still written there, and a step
/// that finds nothing here (another worker, a restart, an eviction) reads it from there, to the same values.
/// </summary>
public sealed class PreparedDataCache(IOptions<TrainingOptions> options, ILogger<PreparedDataCache> logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<PreparedDataKey, LinkedListNode<Entry>> _entries = [];

    // Most recently used first.
    private readonly LinkedList<Entry> _recency = [];
    private long _bytes;

    private sealed record Entry(PreparedDataKey Key, Dataset Dataset, long Bytes);

    /// <summary>The budget in bytes; 0 when the cache is off.</summary>
    public long BudgetBytes => options.Value.DataCacheMegabytes * 1024L * 1024;

    /// <summary>What the datasets held take, as <see cref="SizeOf"/> counts it.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>The dataset read with this key, or null when this instance does not hold it (or there is no key: bytes
    /// without a recorded SHA-256).</summary>
    public Dataset? Find(PreparedDataKey? key)
    {
        if (key is null)
        {
            return null;
        }

        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var node))
            {
                return null;
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            return node.Value.Dataset;
        }
    }

    /// <summary>Keeps a dataset read with this key, making room by dropping the least recently used; false when the
    /// cache is off or the dataset is bigger than its whole budget.</summary>
    public bool Add(PreparedDataKey key, Dataset dataset)
    {
        var bytes = SizeOf(dataset);
        var budget = BudgetBytes;
        if (bytes > budget)
        {
            if (budget > 0)
            {
                logger.DataTooBigToKeep(key.Sha256, ToMegabytes(bytes), options.Value.DataCacheMegabytes);
            }

            return false;
        }

        lock (_lock)
        {
            if (_entries.Remove(key, out var replaced))
            {
                Drop(replaced);
            }

            while (_bytes + bytes > budget && _recency.Last is { } oldest)
            {
                _entries.Remove(oldest.Value.Key);
                Drop(oldest);
                logger.DataDropped(oldest.Value.Key.Sha256, ToMegabytes(oldest.Value.Bytes));
            }

            _entries[key] = _recency.AddFirst(new Entry(key, dataset, bytes));
            _bytes += bytes;
            logger.DataKept(dataset.RowCount, key.Sha256, ToMegabytes(bytes), ToMegabytes(_bytes), options.Value.DataCacheMegabytes);
        }

        return true;
    }

    /// <summary>The training side of the split, gathered from the dataset held here; null when it is not held.</summary>
    public Dataset? TrainSplit(SplitKey? key) => Split(key, train: true);

    /// <summary>The test side of the split, gathered from the dataset held here; null when it is not held.</summary>
    public Dataset? TestSplit(SplitKey? key) => Split(key, train: false);

    /// <summary>The memory a dataset's values take: four bytes a row a column, and the text of the categories.</summary>
    public static long SizeOf(Dataset dataset) => dataset.Table.Columns.Sum(column => column switch
    {
        CategoricalColumn categorical => (4L * categorical.Count) + categorical.Levels.Sum(level => 24L + (2L * level.Length)),
        _ => 4L * column.Count,
    });

    // A fresh copy of the side's rows, as reading the split's blob would give: the step may let it go as soon as it is
    // done with it, while the dataset stays here for the next one.
    private Dataset? Split(SplitKey? key, bool train)
    {
        if (Find(key?.Data) is not { } dataset)
        {
            return null;
        }

        var rows = DatasetSplit.Rows(dataset.RowCount, key!.TestFraction, key.Seed);
        return new Dataset(dataset.Table.Take(train ? rows.Train : rows.Test), dataset.Label);
    }

    private void Drop(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _bytes -= node.Value.Bytes;
    }

    /// <summary>Says where a step took its data from, in its log and as its span's <c>serverlessml.data_cache</c> tag
    /// (<c>hit</c> or <c>miss</c>).</summary>
    public static void Report(ILogger logger, Activity? span, string activity, string data, bool hit)
    {
        if (hit)
        {
            logger.DataFromMemory(activity, data);
        }
        else
        {
            logger.DataFromStorage(activity, data);
        }

        span?.SetTag("serverlessml.data_cache", hit ? "hit" : "miss");
    }

    private static double ToMegabytes(long bytes) => bytes / (1024.0 * 1024);
}
