namespace ServerlessML.Data;

/// <summary>A table with the column to predict named: every other column is a feature.</summary>
public sealed record Dataset(Table Table, string Label)
{
    public NumericColumn LabelColumn => (NumericColumn)Table[Label];

    public IEnumerable<Column> Features => Table.Columns.Where(c => c.Name != Label);

    public int RowCount => Table.RowCount;
}
