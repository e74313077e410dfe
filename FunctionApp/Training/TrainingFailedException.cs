namespace ServerlessML.Training;

/// <summary>Ends a training orchestration as Failed with a reason a user can read in its status.</summary>
public sealed class TrainingFailedException(string message, Exception? innerException = null) : Exception(message, innerException);
