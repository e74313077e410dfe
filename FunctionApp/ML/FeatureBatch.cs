using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>
/// Feature values of one or more rows to predict, laid out row by row: numbers in <see cref="Numbers"/>
/// (NaN = missing), categories in <see cref="Texts"/> (empty = missing), each in the schema's feature order.
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

    public int Rows { get; }

    public int NumericCount { get; }

    public int TextCount { get; }

    public float[] Numbers { get; }

    public ReadOnlyMemory<char>[] Texts { get; }
}
