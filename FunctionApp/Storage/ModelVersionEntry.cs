namespace ServerlessML.Storage;

/// <summary>How far a version number in use got.</summary>
public enum ModelVersionState
{
    /// <summary>model.zip and manifest.json: it can be served, aliased and deleted.</summary>
    Published,

    /// <summary>model.zip without manifest.json: its publish stopped between the two writes. Publishing the same run
    /// again finishes it; deleting it removes it. It cannot be served or aliased.</summary>
    Incomplete,

    /// <summary>A tombstone, whatever else a delete that stopped half-way left behind.</summary>
    Deleted,
}

/// <summary>A version number of a model that is in use, its state, and the run and time that claimed it (when model.zip is still there).</summary>
public sealed record ModelVersionEntry(int Version, ModelVersionState State, string? RunId, DateTimeOffset? Created);
