using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>
/// Feature values of one or more rows to predict, laid out row by row: numbers in <see cref="Numbers"/>
/// (NaN = missing), categories in <see cref="Texts"/> (empty = missing), each in the schema's feature order.
/// Rows can be added one by one (<see cref="AddRow"/>) when their number is not known in advance.
/// </summary>
public sealed class FeatureBatch
{
    public FeatureBatch(ModelSchema schema, int rows)
    {
        NumericCount = schema.Features.Count(f => f.Kind == ColumnKind.Numeric);
        TextCount = schema.Features.Count - NumericCount;
        Rows = rows;
        Numbers = new float[rows * NumericCount];
        Texts = new ReadOnlyMemory<char>[rows * TextCount];
    }

    public int Rows { get; private set; }

    public int NumericCount { get; }

    public int TextCount { get; }

    public float[] Numbers { get; private set; }

    public ReadOnlyMemory<char>[] Texts { get; private set; }

    /// <summary>Makes room for one more row and returns its index.</summary>
    public int AddRow()
    {
        if ((Rows + 1) * NumericCount > Numbers.Length || (Rows + 1) * TextCount > Texts.Length)
        {
            var capacity = Math.Max(16, Rows * 2);
            Numbers = Grow(Numbers, capacity * NumericCount);
            Texts = Grow(Texts, capacity * TextCount);
        }

        return Rows++;
    }

    private static T[] Grow<T>(T[] values, int length)
    {
        var grown = new T[length];
        values.CopyTo(grown, 0);
        return grown;
    }
}
