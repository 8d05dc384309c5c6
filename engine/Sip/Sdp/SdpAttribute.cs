namespace CallTracking.Engine.Sip.Sdp;

/// <summary>An <c>a=</c> line: a property attribute (<c>a=sendonly</c>, null value) or a value attribute (<c>a=ptime:20</c>).</summary>
public sealed record SdpAttribute(string Name, string? Value = null)
{
    public override string ToString() => Value is null ? $"a={Name}" : $"a={Name}:{Value}";
}
