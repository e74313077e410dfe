using Microsoft.ML.Data;
using ServerlessML.Data;

namespace ServerlessML.ML;

/// <summary>The names ML.NET sees besides the features, chosen so that no user column can collide with them.</summary>
internal sealed record ModelColumns(string Label, string Features)
{
    public const string Score = "Score";

    public static ModelColumns For(IEnumerable<string> featureNames)
    {
        var taken = featureNames.ToHashSet(StringComparer.Ordinal);
        return new ModelColumns(Unique("Label", taken), Unique("Features", taken));
    }

    public static DataViewType TypeOf(ColumnKind kind) =>
        kind == ColumnKind.Numeric ? NumberDataViewType.Single : TextDataViewType.Instance;

    private static string Unique(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var i = 1; taken.Contains(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }

        return candidate;
    }
}
