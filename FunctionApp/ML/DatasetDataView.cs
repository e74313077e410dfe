using Microsoft.ML;
using Microsoft.ML.Data;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>
/// A <see cref="Dataset"/> seen by ML.NET without copying: features under their own names (numbers as Single,
/// categories as Text), the label under <see cref="ModelColumns.Label"/> unless left out.
/// </summary>
internal sealed class DatasetDataView : IDataView
{
    private readonly Column[] _columns;
    private readonly ReadOnlyMemory<char>[]?[] _levels;
    private readonly int _rows;

    /// <param name="withLabel">False to show only the features: the input a saved model declares.</param>
    public DatasetDataView(Dataset dataset, ModelColumns names, bool withLabel = true)
    {
        _columns = withLabel ? [.. dataset.Features, dataset.LabelColumn] : [.. dataset.Features];
        _levels = _columns
            .Select(c => c is CategoricalColumn categorical ? categorical.Levels.Select(l => l.AsMemory()).ToArray() : null)
            .ToArray();
        _rows = dataset.RowCount;

        var builder = new DataViewSchema.Builder();
        foreach (var column in dataset.Features)
        {
            builder.AddColumn(column.Name, ModelColumns.TypeOf(column.Kind));
        }

        if (withLabel)
        {
            builder.AddColumn(names.Label, NumberDataViewType.Single);
        }

        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(DatasetDataView view, HashSet<int> active) : DataViewRowCursor
    {
        private int _position = -1;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => view.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override bool MoveNext() => ++_position < view._rows;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = view._columns[column.Index] switch
            {
                NumericColumn numeric => (ValueGetter<float>)((ref float value) => value = numeric.Values[_position]),
                CategoricalColumn categorical => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) =>
                {
                    var code = categorical.Codes[_position];
                    value = code == CategoricalColumn.Missing ? ReadOnlyMemory<char>.Empty : view._levels[column.Index]![code];
                }),
                _ => throw new InvalidOperationException($"Column '{column.Name}' has an unknown kind."),
            };
            return (ValueGetter<TValue>)getter;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);
    }
}
