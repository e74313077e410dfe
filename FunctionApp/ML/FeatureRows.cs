using System.Runtime.CompilerServices;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>Computes Features vectors from a dataset's columns with a <see cref="FeatureLayout"/>.</summary>
internal sealed class FeatureRows
{
    private const int RowsPerBlock = 16 * 1024;

    private readonly FeatureLayout _layout;
    private readonly Column[] _columns;
    private readonly int[]?[] _levelSlots;

    public FeatureRows(Dataset dataset, FeatureLayout layout)
    {
        _layout = layout;
        _columns = layout.Features.Select(f => dataset.Table[f.Name]).ToArray();
        _levelSlots = layout.Features.Select((f, i) => f is CategoricalSlots slots ? slots.SlotsOf((CategoricalColumn)_columns[i]) : null).ToArray();
        Count = dataset.RowCount;
    }

    public int Count { get; }

    /// <summary>Writes the Features vector of <paramref name="row"/> into <paramref name="features"/>.</summary>
    public void Fill(int row, Span<float> features)
    {
        features.Clear();
        for (var i = 0; i < _columns.Length; i++)
        {
            switch (_layout.Features[i])
            {
                case NumericSlot numeric:
                    var value = ((NumericColumn)_columns[i]).Values[row];
                    features[numeric.Start] = ((float.IsNaN(value) ? numeric.Fill : value) - numeric.Offset) * numeric.Scale;
                    break;
                case CategoricalSlots categorical:
                    var code = ((CategoricalColumn)_columns[i]).Codes[row];
                    if (code != CategoricalColumn.Missing && _levelSlots[i]![code] is var slot and >= 0)
                    {
                        features[categorical.Start + slot] = 1;
                    }

                    break;
            }
        }
    }

    /// <summary>Writes every row's Features vector into a row-major matrix, in parallel over blocks of rows, a column
    /// at a time within a block (a tight loop per feature instead of a dispatch per value).</summary>
    public void WriteMatrix(float[] matrix) =>
        Parallel.For(0, (Count + RowsPerBlock - 1) / RowsPerBlock, block =>
        {
            var first = block * RowsPerBlock;
            WriteBlock(matrix, first, Math.Min(Count, first + RowsPerBlock));
        });

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteBlock(float[] matrix, int first, int end)
    {
        var width = _layout.Length;
        for (var i = 0; i < _columns.Length; i++)
        {
            switch (_layout.Features[i])
            {
                case NumericSlot numeric:
                    var values = ((NumericColumn)_columns[i]).Values;
                    for (var row = first; row < end; row++)
                    {
                        var value = values[row];
                        matrix[((long)row * width) + numeric.Start] = ((float.IsNaN(value) ? numeric.Fill : value) - numeric.Offset) * numeric.Scale;
                    }

                    break;
                case CategoricalSlots categorical:
                    var codes = ((CategoricalColumn)_columns[i]).Codes;
                    var slots = _levelSlots[i]!;
                    for (var row = first; row < end; row++)
                    {
                        if (codes[row] is var code and >= 0 && slots[code] is var slot and >= 0)
                        {
                            matrix[((long)row * width) + categorical.Start + slot] = 1;
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>Hands every row's Features vector to <paramref name="use"/>, in parallel over blocks of rows.</summary>
    public void ForEach(RowAction use) =>
        Parallel.For(0, (Count + RowsPerBlock - 1) / RowsPerBlock, block =>
        {
            var features = new float[_layout.Length];
            for (var row = block * RowsPerBlock; row < Math.Min(Count, (block + 1) * RowsPerBlock); row++)
            {
                Fill(row, features);
                use(row, features);
            }
        });

    public delegate void RowAction(int row, ReadOnlySpan<float> features);
}
