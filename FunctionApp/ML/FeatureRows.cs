using System.Buffers;
using System.Runtime.CompilerServices;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>
/// Computes Features vectors from a dataset's columns with a <see cref="FeatureLayout"/>, a block of rows at a time
/// and a column at a time within a block (a tight loop per feature instead of a dispatch per value), blocks in
/// parallel. One routine serves training (a whole matrix) and scoring (a block at a time).
/// </summary>
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

    /// <summary>Writes every row's Features vector into a zeroed row-major matrix.</summary>
    public void WriteMatrix(float[] matrix) =>
        Parallel.For(0, Blocks, block =>
        {
            var (first, end) = Block(block);
            WriteBlock(matrix.AsSpan(first * _layout.Length, (end - first) * _layout.Length), first, end);
        });

    /// <summary>Hands every row's Features vector to <paramref name="use"/>, in parallel over blocks of rows.</summary>
    public void ForEach(RowAction use) =>
        Parallel.For(0, Blocks, block =>
        {
            var (first, end) = Block(block);
            var width = _layout.Length;
            var buffer = ArrayPool<float>.Shared.Rent((end - first) * width);
            try
            {
                var features = buffer.AsSpan(0, (end - first) * width);
                features.Clear();
                WriteBlock(features, first, end);
                for (var row = first; row < end; row++)
                {
                    use(row, features.Slice((row - first) * width, width));
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(buffer);
            }
        });

    public delegate void RowAction(int row, ReadOnlySpan<float> features);

    private int Blocks => (Count + RowsPerBlock - 1) / RowsPerBlock;

    private (int First, int End) Block(int block) => (block * RowsPerBlock, Math.Min(Count, (block + 1) * RowsPerBlock));

    // Rows [first, end) into a zeroed destination, row r at (r - first) * width.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteBlock(Span<float> destination, int first, int end)
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
                        destination[((row - first) * width) + numeric.Start] = ((float.IsNaN(value) ? numeric.Fill : value) - numeric.Offset) * numeric.Scale;
                    }

                    break;
                case CategoricalSlots categorical:
                    var codes = ((CategoricalColumn)_columns[i]).Codes;
                    var slots = _levelSlots[i]!;
                    for (var row = first; row < end; row++)
                    {
                        if (codes[row] is var code and >= 0 && slots[code] is var slot and >= 0)
                        {
                            destination[((row - first) * width) + categorical.Start + slot] = 1;
                        }
                    }

                    break;
            }
        }
    }
}
