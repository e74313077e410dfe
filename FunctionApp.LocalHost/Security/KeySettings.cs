using Microsoft.Azure.Functions.Worker;

namespace ServerlessML.LocalHost.Security;

/// <summary>
/// The local host's keys (app settings <c>LocalHost__Keys__…</c>), the same roles as the Functions host's: the master
/// key (admin level: training and every registry write, and everything else), function keys by name (function level:
/// predicting and reading), and the durable task extension's system key (the durable HTTP API, and the code in its
/// links). With none set the local host answers anonymously, as <c>func start</c> does.
/// </summary>
public sealed class KeySettings
{
    public const string Section = "LocalHost:Keys";

    /// <summary>Shorter keys are refused: they can be guessed.</summary>
    public const int MinimumLength = 16;

    public string? Master { get; set; }

    public string? DurableTask { get; set; }

    /// <summary>Function keys by name, e.g. <c>LocalHost__Keys__Function__predict-client</c>.</summary>
    public Dictionary<string, string> Function { get; set; } = new(StringComparer.Ordinal);

    public bool Any => Master is not null || DurableTask is not null || Function.Count > 0;

    internal bool Validate()
    {
        foreach (var (name, key, _) in Named())
        {
            if (key.Length < MinimumLength || key.Any(char.IsWhiteSpace))
            {
                throw new InvalidOperationException(
                    $"The local host's key {name} must be at least {MinimumLength} characters without spaces, such as one from `openssl rand -base64 32`.");
            }
        }

        return true;
    }

    /// <summary>Every key set, with the name the audit trail and the settings know it by, and the level it grants.</summary>
    internal IEnumerable<(string Name, string Key, AuthorizationLevel Level)> Named()
    {
        if (Master is not null)
        {
            yield return ("master", Master, AuthorizationLevel.Admin);
        }

        if (DurableTask is not null)
        {
            yield return ("durabletask", DurableTask, AuthorizationLevel.System);
        }

        foreach (var (name, key) in Function)
        {
            yield return (name, key, AuthorizationLevel.Function);
        }
    }
}
