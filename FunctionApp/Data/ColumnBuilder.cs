namespace ServerlessML.Data;

/// <summary>
/// Collects one column's values while a dataset is read, inferring its kind: numeric until a value that is not a
/// number shows up, then categorical. Rows read before that switch are filled in by <see cref="SetText"/>.
/// </summary>
internal sealed class ColumnBuilder
{
    private readonly int _maxLevels;
    private readonly bool _kindDeclared;
    private readonly int _expectedRows;
    private ChunkedList<float> _numbers;
    private ChunkedList<int> _codes = new();
    private readonly List<string> _levels = [];
    private readonly Dictionary<string, int> _levelCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _levelLookup;
    private int _present;

    /// <param name="expectedRows">The row count when known in advance (0 when not): the column is then allocated once, exactly.</param>
    public ColumnBuilder(string name, bool isLabel, ColumnKind? declared, int maxLevels, int expectedRows = 0)
    {
        _expectedRows = expectedRows;
        _numbers = new(declared == ColumnKind.Categorical ? 0 : expectedRows);
        Name = name;
        IsLabel = isLabel;
        _maxLevels = maxLevels;
        _kindDeclared = declared is not null;
        _levelLookup = _levelCodes.GetAlternateLookup<ReadOnlySpan<char>>();
        if (declared == ColumnKind.Categorical)
        {
            BecomeCategorical();
        }
    }

    public string Name { get; }

    public bool IsLabel { get; }

    public ColumnKind Kind { get; private set; } = ColumnKind.Numeric;

    /// <summary>The rows before this one were read as numbers and still need their text; 0 when none do.</summary>
    public int TextMissingBefore { get; private set; }

    /// <summary>Whether a value that is not a number may turn this column categorical.</summary>
    public bool MayBecomeCategorical => Kind == ColumnKind.Numeric && !IsLabel && !_kindDeclared;

    public void AddMissing()
    {
        if (Kind == ColumnKind.Numeric)
        {
            _numbers.Add(float.NaN);
        }
        else
        {
            _codes.Add(CategoricalColumn.Missing);
        }
    }

    public void AddNumber(float value)
    {
        _numbers.Add(value);
        _present++;
    }

    /// <summary>The feature values this column gives the trainer per row: 1, or one per category (one-hot).</summary>
    public int Width => Kind == ColumnKind.Numeric ? 1 : _levels.Count;

    public void AddText(ReadOnlySpan<char> value, long line)
    {
        _codes.Add(CodeOf(value, line));
        _present++;
    }

    /// <summary>Turns a numeric column categorical from the next row on.</summary>
    public void BecomeCategorical()
    {
        Kind = ColumnKind.Categorical;
        TextMissingBefore = _numbers.Count;
        _numbers = new();
        _codes = new(_expectedRows);
        for (var row = 0; row < TextMissingBefore; row++)
        {
            _codes.Add(CategoricalColumn.Missing);
        }
    }

    /// <summary>Fills in the text of a row read before the column turned categorical.</summary>
    public void SetText(int row, ReadOnlySpan<char> value, long line) =>
        _codes[row] = value.IsEmpty ? CategoricalColumn.Missing : CodeOf(value, line);

    public Column Build()
    {
        if (_present == 0)
        {
            throw new InvalidDatasetException($"Column '{Name}' has no values in any row. Fill it in or remove it.");
        }

        return Kind == ColumnKind.Numeric
            ? new NumericColumn(Name, _numbers.ToArray())
            : new CategoricalColumn(Name, _codes.ToArray(), _levels.ToArray());
    }

    private int CodeOf(ReadOnlySpan<char> value, long line)
    {
        if (_levelLookup.TryGetValue(value, out var code))
        {
            return code;
        }

        if (_levels.Count == _maxLevels)
        {
            throw new InvalidDatasetException(DatasetLimits.TooManyLevels(Name, _maxLevels, line > 0 ? $" (line {line} adds '{value}')" : $" ('{value}' is one more)"));
        }

        var level = value.ToString();
        _levelCodes.Add(level, _levels.Count);
        _levels.Add(level);
        return _levels.Count - 1;
    }

    public static string Describe(ReadOnlySpan<char> value) => (value.Length > 40 ? value[..40] : value).ToString();
}
