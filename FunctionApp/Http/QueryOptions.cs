using Microsoft.AspNetCore.Http;

namespace ServerlessML.Http;

/// <summary>
/// The options a function takes by name, in the query string or a JSON body: a name it does not take is refused rather
/// than ignored (a misspelt <c>lable=</c> would otherwise train on the last column), with the name most likely meant.
/// </summary>
public static class QueryOptions
{
    /// <summary>The function key under the Functions host (<c>?code=</c>); every function takes it.</summary>
    public const string FunctionKey = "code";

    /// <summary>Refuses a query parameter not in <paramref name="known"/> (or the function key), and one given twice.</summary>
    public static void Check(HttpRequest request, params string[] known)
    {
        foreach (var (name, values) in request.Query)
        {
            if (!known.Contains(name, StringComparer.OrdinalIgnoreCase) && !string.Equals(name, FunctionKey, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidRequestException(known.Length == 0
                    ? $"Query parameter '{name}' is not understood: {request.Method} {request.Path} takes no query parameters."
                    : Unknown($"Query parameter '{name}'", name, known));
            }

            if (values.Count > 1)
            {
                throw new InvalidRequestException($"Query parameter '{name}' is given {values.Count} times; give it once.");
            }
        }
    }

    /// <summary>"X is not an option; did you mean 'y'? The options are: …".</summary>
    public static string Unknown(string what, string name, IReadOnlyCollection<string> known) =>
        $"{what} is not an option{(Closest(name, known) is { } meant ? $"; did you mean '{meant}'?" : ".")} The options are: {string.Join(", ", known)}.";

    /// <summary>The known name a typo most likely meant: the nearest within two edits, ignoring case.</summary>
    public static string? Closest(string name, IEnumerable<string> known) =>
        known.Select(k => (Name: k, Distance: Distance(name.ToLowerInvariant(), k.ToLowerInvariant())))
            .Where(k => k.Distance <= Math.Min(2, k.Name.Length / 2))
            .OrderBy(k => k.Distance)
            .Select(k => k.Name)
            .FirstOrDefault();

    // Edit distance, with a swap of two neighbours counting as one edit (lable → label).
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
