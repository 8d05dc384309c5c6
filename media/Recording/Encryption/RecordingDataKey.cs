namespace CallTracking.Media.Recording.Encryption;

/// <summary>A data key in the clear (<see cref="EncryptedRecordingFormat.KeySize"/> bytes) and the id the file header names it by.</summary>
public sealed record RecordingDataKey(Guid Id, byte[] Key);
