using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using ServerlessML.Storage;

namespace ServerlessML.Training;

/// <summary>
/// An activity that fails because storage is out of reach fails with <see cref="StorageUnavailableException"/>, whatever
/// the SDK threw: the orchestration retries it by that type and tells the user in a sentence of its own, where the
/// SDK's exception would have brought its XML, headers and request ids. Worker middleware under the Functions host;
/// <see cref="TrainingWorkflow"/> calls <see cref="RunAsync{T}"/> for a plain Durable Task worker.
/// </summary>
public sealed class ActivityStorageFaults : IFunctionsWorkerMiddleware
{
    public static bool AppliesTo(FunctionContext context) =>
        context.FunctionDefinition.InputBindings.Values.Any(b => string.Equals(b.Type, "activityTrigger", StringComparison.OrdinalIgnoreCase));

    public static async Task<T> RunAsync<T>(Func<Task<T>> activity)
    {
        try
        {
            return await activity();
        }
        catch (Exception e) when (e is not StorageUnavailableException && StorageFaults.IsUnreachable(e, out var reason))
        {
            throw new StorageUnavailableException(reason, e);
        }
    }

    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next) => RunAsync(async () =>
    {
        await next(context);
        return true;
    });
}
