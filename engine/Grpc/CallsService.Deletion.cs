using CallTracking.Engine.Privacy;
using CallTracking.Grpc.Server;
using CallTracking.Grpc.V1;

namespace CallTracking.Engine.Grpc;

public sealed partial class CallsService
{
    private readonly DataDeletion? _deletion;

    private void RegisterDeletion(GrpcMethodRegistry registry)
    {
        registry.AddUnary<DeleteCallDataRequest, DeleteCallDataResponse>(ServiceName, "DeleteRecording", (request, context) => DeleteAsync(request, context, DeletionTarget.Recording));
        registry.AddUnary<DeleteCallDataRequest, DeleteCallDataResponse>(ServiceName, "DeleteTranscript", (request, context) => DeleteAsync(request, context, DeletionTarget.Transcript));
        registry.AddUnary<DeleteCallDataRequest, DeleteCallDataResponse>(ServiceName, "DeleteCall", (request, context) => DeleteAsync(request, context, DeletionTarget.Call));
    }

    /// <summary>Deletion as the REST API does it (<see cref="DataDeletion"/>): keys first, then files and rows; NOT_FOUND for a call the key may not see.</summary>
    private async Task<DeleteCallDataResponse> DeleteAsync(DeleteCallDataRequest request, ServerCallContext context, DeletionTarget target)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var principal = await _authentication.AuthenticateAsync(context).ConfigureAwait(false);
        var id = GrpcArguments.Uuid(request.CallId, "call_id");
        if (_deletion is null)
        {
            throw new GrpcException(StatusCode.Unimplemented, "deletion is not available on this engine");
        }

        var result = await _deletion.DeleteAsync(id, target, "api-key:" + principal.KeyPrefix, "request", principal.VisibleOrganisations, context.CancellationToken).ConfigureAwait(false);
        if (!result.Found)
        {
            throw new GrpcException(StatusCode.NotFound, $"call {id} not found");
        }

        return new DeleteCallDataResponse
        {
            KeysDestroyed = result.KeysDestroyed,
            FilesDeleted = result.FilesDeleted,
            Recordings = result.Recordings,
            Transcripts = result.Transcripts,
        };
    }
}
