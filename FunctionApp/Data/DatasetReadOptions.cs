namespace ServerlessML.Data;

/// <summary>How to read a dataset: which column is the label and what a column may hold.</summary>
public sealed record DatasetReadOptions
{
    /// <summary>The column to predict; the last column when not given.</summary>
    public string? Label { get; init; }

    /// <summary>Kinds already known for some columns (from an earlier read); the rest are inferred.</summary>
    public IReadOnlyDictionary<string, ColumnKind>? Kinds { get; init; }

    /// <summary>How many rows the data has, when known (a profiled or already checked dataset): each column is then
    /// allocated once at its final size instead of grown and copied, which halves the peak memory of a large read.</summary>
    public int? ExpectedRows { get; init; }

    /// <summary>More distinct values than this in a text column means it is an identifier, not a category.</summary>
    public int MaxCategoricalLevels { get; init; } = 1000;

    /// <summary>More columns than this is refused as soon as the header is read.</summary>
    public int MaxColumns { get; init; } = 1000;

    /// <summary>The most feature values a dataset may give the trainer (see <see cref="DatasetLimits.Cells"/>).</summary>
    public long MaxCells { get; init; } = 200_000_000;
}
