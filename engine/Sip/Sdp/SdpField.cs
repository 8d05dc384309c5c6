namespace CallTracking.Engine.Sip.Sdp;

/// <summary>A line this model keeps only as text (<c>i=</c>, <c>u=</c>, <c>e=</c>, <c>p=</c>, <c>b=</c>, <c>r=</c>, <c>z=</c>, <c>k=</c>), preserved on re-serialization.</summary>
public sealed record SdpField(char Type, string Value)
{
    public override string ToString() => $"{Type}={Value}";
}
