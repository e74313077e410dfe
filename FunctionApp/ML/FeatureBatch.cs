using System.Buffers;
using System.Runtime.CompilerServices;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>
/// Feature values of one or more rows to predict, laid out row by row: numbers in <see cref="Numbers"/>
/// (NaN = missing), categories in <see cref="Texts"/> (empty = missing), each in the schema's feature order.
/// Rows can be added one by one (<see cref="AddRow"/>) when their number is not known in advance. The arrays are
/// rented, and a large batch's would otherwise land on the large-object heap every request: dispose the batch.
/// The arrays may be longer than the rows need.
/// </summary>
public sealed class FeatureBatch : IDisposable
{
    public FeatureBatch(ModelSchema schema, int rows)
    {
        NumericCount = schema.Features.Count(f => f.Kind == ColumnKind.Numeric);
        TextCount = schema.Features.Count - NumericCount;
        Rows = rows;
        Numbers = ArrayPool<float>.Shared.Rent(rows * NumericCount);
        Texts = ArrayPool<ReadOnlyMemory<char>>.Shared.Rent(rows * TextCount);
    }

    /// <summary>Rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="rows"/>) of
    /// <paramref name="data"/>, its columns found by the names of <paramref name="schema"/>'s features.</summary>
    public static FeatureBatch Of(ModelSchema schema, Dataset data, int first, int rows)
    {
        var batch = new FeatureBatch(schema, rows);
        int numeric = 0, text = 0;
        foreach (var feature in schema.Features)
        {
            switch (data.Table[feature.Name])
            {
                case NumericColumn column:
                    var values = column.Values;
                    for (var row = 0; row < rows; row++)
                    {
                        batch.Numbers[(row * batch.NumericCount) + numeric] = values[first + row];
                    }

                    numeric++;
                    break;
                case CategoricalColumn column:
                    var levels = column.Levels.Select(l => l.AsMemory()).ToArray();
                    for (var row = 0; row < rows; row++)
                    {
                        var code = column.Codes[first + row];
                        batch.Texts[(row * batch.TextCount) + text] = code == CategoricalColumn.Missing ? ReadOnlyMemory<char>.Empty : levels[code];
                    }

                    text++;
                    break;
            }
        }

        return batch;
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

    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(Numbers);
        ArrayPool<ReadOnlyMemory<char>>.Shared.Return(Texts, clearArray: true);
        Numbers = [];
        Texts = [];
    }

    private static T[] Grow<T>(T[] values, int length)
    {
        var grown = ArrayPool<T>.Shared.Rent(length);
        values.CopyTo(grown, 0);
        // Arrays that hold references are cleared on return, so they do not keep a request's strings alive.
        ArrayPool<T>.Shared.Return(values, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        return grown;
    }
}
