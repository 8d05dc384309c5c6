using CallTracking.Grpc.Server;
using Google.Protobuf.WellKnownTypes;

namespace CallTracking.Tests.Grpc.Server;

/// <summary>
/// The methods the in-process wire tests call, on well-known message types, and what they observed.
/// </summary>
internal sealed class TestMethods
{
    public const string Service = "test.Test";

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource SecondMessageAllowed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<Exception?> LateWrite { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ServerCallContext? LastContext { get; private set; }

    /// <summary>What Echo saw of its call, read while the call was alive (the HttpContext is recycled after).</summary>
    public (string? Bearer, string Tenant, string Method, DateTimeOffset? Deadline) EchoSaw { get; private set; }

    public void Register(GrpcMethodRegistry registry) => registry
        .AddUnary<StringValue, StringValue>(Service, "Echo", (request, context) =>
        {
            LastContext = context;
            EchoSaw = (context.BearerToken, context.RequestHeaders["x-tenant"].ToString(), context.Method, context.Deadline);
            return Task.FromResult(new StringValue { Value = request.Value });
        })
        .AddUnary<StringValue, StringValue>(Service, "Fail", (request, _) =>
        {
            // "<code>|<message>"
            var parts = request.Value.Split('|', 2);
            throw new GrpcException((StatusCode)int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1]);
        })
        .AddUnary<StringValue, StringValue>(Service, "Throw", (_, _) => throw new InvalidOperationException("secret internals"))
        .AddUnary<StringValue, StringValue>(Service, "Wait", async (_, context) =>
        {
            LastContext = context;
            Started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult();
                throw;
            }

            return new StringValue();
        })
        .AddServerStreaming<Int32Value, StringValue>(Service, "Count", async (request, writer, context) =>
        {
            for (var i = 1; i <= request.Value; i++)
            {
                await writer.WriteAsync(new StringValue { Value = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }, context.CancellationToken);
                if (i == 1 && request.Value > 1)
                {
                    await SecondMessageAllowed.Task.WaitAsync(context.CancellationToken);
                }
            }
        })
        .AddServerStreaming<Int32Value, StringValue>(Service, "StreamThenWait", async (_, writer, context) =>
        {
            await writer.WriteAsync(new StringValue { Value = "first" }, context.CancellationToken);
            Started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult();
                throw;
            }
        })
        .AddServerStreaming<Int32Value, StringValue>(Service, "Stubborn", async (_, writer, context) =>
        {
            // Ignores its token: waits for the test, then tries one more write.
            await writer.WriteAsync(new StringValue { Value = "first" }, context.CancellationToken);
            Started.TrySetResult();
            await Release.Task;
            try
            {
                await writer.WriteAsync(new StringValue { Value = "late" });
                LateWrite.TrySetResult(null);
            }
            catch (Exception e)
            {
                LateWrite.TrySetResult(e);
                throw;
            }
        })
        .AddUnary<Int32Value, BytesValue>(Service, "Big", (request, _) =>
            Task.FromResult(new BytesValue { Value = Google.Protobuf.ByteString.CopyFrom(new byte[request.Value]) }));
}
