namespace CallTracking.Grpc.Framing;

/// <summary>What <see cref="GrpcFrameReader.TryRead"/> found at the start of its input.</summary>
public enum FrameReadStatus
{
    /// <summary>A whole frame; the consumed position is just after it.</summary>
    Complete,

    /// <summary>Not yet a whole frame; nothing consumed.</summary>
    Incomplete,

    /// <summary>The declared length is above the allowed maximum; nothing consumed, the caller rejects the call.</summary>
    TooLarge,
}
