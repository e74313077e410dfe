using System.Text.Json;
using Azure.Core.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using ServerlessML;
using ServerlessML.Http;
using ServerlessML.Telemetry;
using ServerlessML.Training;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseWhen<ExceptionProblems>(ExceptionProblems.AppliesTo);
builder.UseWhen<ActivityStorageFaults>(ActivityStorageFaults.AppliesTo);
builder.Services.AddServerlessML();
// The worker's invocation spans join the host's trace, and so the durable run's; the app's own spans are their children.
builder.Services.AddServerlessTelemetry(builder.Configuration).UseFunctionsWorkerDefaults();

// Durable inputs and outputs go through the worker serializer, except orchestration inputs read with GetInput<T>,
// which use the global JsonSerializerOptions: both get the app's JSON shape, so the status output is camelCase.
builder.Services.Configure<JsonSerializerOptions>(o => ServerlessJson.Configure(o));
builder.Services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(ServerlessJson.Options));

builder.Build().Run();
