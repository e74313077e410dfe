namespace ServerlessML.Data;

/// <summary>How to read a dataset: which column is the label and what a column may hold.</summary>
public sealed record DatasetReadOptions
{
    /// <summary>The column to predict; the last column when not given.</summary>
    public string? Label { get; init; }

    /// <summary>Kinds already known for some columns (from an earlier read); the rest are inferred.</summary>
    public IReadOnlyDictionary<string, ColumnKind>? Kinds { get; init; }

    /// <summary>More distinct values than this in a text column means it is an identifier, not a category.</summary>
    public int MaxCategoricalLevels { get; init; } = 1000;
}
