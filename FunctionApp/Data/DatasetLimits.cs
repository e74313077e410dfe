namespace ServerlessML.Data;

/// <summary>
/// The size limits a dataset is held to before anything is trained on it, and the errors that name them. Training
/// memory and time grow with the feature matrix, rows × feature values, where one-hot encoding makes a categorical
/// column as many values as it has categories.
/// </summary>
public static class DatasetLimits
{
    public static void CheckColumns(int columns, int maxColumns)
    {
        if (columns > maxColumns)
        {
            throw new LimitExceededException(
                $"The dataset has {columns:N0} columns; at most {maxColumns:N0} are allowed (Training__MaxColumns). Leave out the columns the model should not learn from.");
        }
    }

    /// <summary>The feature values the trainer holds for a dataset: per row, one per numeric feature and one per category
    /// of each categorical feature.</summary>
    public static long Cells(long rows, IEnumerable<(ColumnKind Kind, int Levels)> features) =>
        rows * features.Sum(f => f.Kind == ColumnKind.Numeric ? 1L : Math.Max(1, f.Levels));

    public static void CheckCells(long rows, long cells, long maxCells)
    {
        if (cells > maxCells)
        {
            throw new LimitExceededException(
                $"The dataset has {rows:N0} rows of {cells / Math.Max(1, rows):N0} feature values each (a categorical column counts once per category), " +
                $"{cells:N0} in all; a run takes at most {maxCells:N0} (Training__MaxCells). Send fewer rows or columns, or fewer categories.");
        }
    }

    public static void CheckLevels(string column, long levels, int maxLevels)
    {
        if (levels > maxLevels)
        {
            throw new InvalidDatasetException(TooManyLevels(column, maxLevels, ""));
        }
    }

    public static string TooManyLevels(string column, int maxLevels, string example) =>
        $"Column '{column}' has more than {maxLevels:N0} distinct text values{example}. " +
        "A column like that is an identifier or free text, not a category: remove it, or make it numeric.";
}
