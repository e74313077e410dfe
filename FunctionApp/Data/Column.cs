namespace ServerlessML.Data;

/// <summary>Whether a column holds numbers or category labels.</summary>
public enum ColumnKind
{
    Numeric,
    Categorical,
}

/// <summary>One column of a <see cref="Table"/>, held in memory as a plain array.</summary>
public abstract class Column(string name)
{
    public string Name { get; } = name;

    public abstract ColumnKind Kind { get; }

    public abstract int Count { get; }

    /// <summary>The rows at <paramref name="rows"/>, in that order.</summary>
    public abstract Column Take(ReadOnlySpan<int> rows);
}

/// <summary>Numbers as 32-bit floats; <see cref="float.NaN"/> marks a missing value.</summary>
public sealed class NumericColumn(string name, float[] values) : Column(name)
{
    public float[] Values { get; } = values;

    public override ColumnKind Kind => ColumnKind.Numeric;

    public override int Count => Values.Length;

    public override NumericColumn Take(ReadOnlySpan<int> rows)
    {
        var values = new float[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            values[i] = Values[rows[i]];
        }

        return new NumericColumn(Name, values);
    }
}

/// <summary>Category labels as codes into <see cref="Levels"/>; <see cref="Missing"/> marks a missing value.</summary>
public sealed class CategoricalColumn(string name, int[] codes, IReadOnlyList<string> levels) : Column(name)
{
    public const int Missing = -1;

    public int[] Codes { get; } = codes;

    public IReadOnlyList<string> Levels { get; } = levels;

    public override ColumnKind Kind => ColumnKind.Categorical;

    public override int Count => Codes.Length;

    public string? ValueAt(int row) => Codes[row] == Missing ? null : Levels[Codes[row]];

    public override CategoricalColumn Take(ReadOnlySpan<int> rows)
    {
        var codes = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            codes[i] = Codes[rows[i]];
        }

        return new CategoricalColumn(Name, codes, Levels);
    }
}
