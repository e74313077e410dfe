using Microsoft.ML;
using Microsoft.ML.Data;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>
/// A dataset as the Features vector and Label SDCA trains on, computed from the columns with a
/// <see cref="FeatureLayout"/> once, into one row-major matrix: SDCA visits rows in a new random order every epoch,
/// and a row that sits in one place costs one cache miss where twenty columns would cost twenty.
/// </summary>
internal sealed class FeaturesDataView : IDataView
{
    private readonly int _width;
    private readonly float[] _labels;
    private readonly int _rows;
    private readonly float[] _matrix;

    public FeaturesDataView(Dataset dataset, FeatureLayout layout, ModelColumns names)
    {
        var rows = new FeatureRows(dataset, layout);
        _width = layout.Length;
        _labels = dataset.LabelColumn.Values;
        _rows = dataset.RowCount;
        _matrix = new float[(long)_rows * _width];
        rows.WriteMatrix(_matrix);

        var builder = new DataViewSchema.Builder();
        builder.AddColumn(names.Features, new VectorDataViewType(NumberDataViewType.Single, layout.Length));
        builder.AddColumn(names.Label, NumberDataViewType.Single);
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => true;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet(), rand is null ? null : Permutation(_rows, rand));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private static int[] Permutation(int count, Random random)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        random.Shuffle(order);
        return order;
    }

    private sealed class Cursor(FeaturesDataView view, HashSet<int> active, int[]? order) : DataViewRowCursor
    {
        private int _position = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => view.Schema;

        private int Row => order?[_position] ?? _position;

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override bool MoveNext() => ++_position < view._rows;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Index == 0
                ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                {
                    var editor = VBufferEditor.Create(ref value, view._width);
                    view._matrix.AsSpan(Row * view._width, view._width).CopyTo(editor.Values);
                    value = editor.Commit();
                })
                : (ValueGetter<float>)((ref float value) => value = view._labels[Row]);
            return (ValueGetter<TValue>)getter;
        }

        // The row's own index, not its place in this epoch's order: SDCA keeps a dual variable per row by this id.
        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)Row, 0);
    }
}
