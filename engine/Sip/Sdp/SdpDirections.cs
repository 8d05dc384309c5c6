namespace CallTracking.Engine.Sip.Sdp;

/// <summary>Reads and writes the direction attribute in an attribute list.</summary>
internal static class SdpDirections
{
    public static SdpDirection? Find(IEnumerable<SdpAttribute> attributes)
    {
        foreach (var attribute in attributes)
        {
            if (TryParse(attribute.Name, out var direction))
            {
                return direction;
            }
        }

        return null;
    }

    public static void Set(IList<SdpAttribute> attributes, SdpDirection? direction)
    {
        for (var i = attributes.Count - 1; i >= 0; i--)
        {
            if (TryParse(attributes[i].Name, out _))
            {
                attributes.RemoveAt(i);
            }
        }

        if (direction is { } value)
        {
            attributes.Add(new SdpAttribute(Name(value)));
        }
    }

    public static bool TryParse(string name, out SdpDirection direction)
    {
        switch (name)
        {
            case "sendrecv":
                direction = SdpDirection.SendRecv;
                return true;
            case "sendonly":
                direction = SdpDirection.SendOnly;
                return true;
            case "recvonly":
                direction = SdpDirection.RecvOnly;
                return true;
            case "inactive":
                direction = SdpDirection.Inactive;
                return true;
            default:
                direction = default;
                return false;
        }
    }

    public static string Name(SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        SdpDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    public static bool Sends(SdpDirection direction) => direction is SdpDirection.SendRecv or SdpDirection.SendOnly;

    public static bool Receives(SdpDirection direction) => direction is SdpDirection.SendRecv or SdpDirection.RecvOnly;

    public static SdpDirection From(bool sends, bool receives) => (sends, receives) switch
    {
        (true, true) => SdpDirection.SendRecv,
        (true, false) => SdpDirection.SendOnly,
        (false, true) => SdpDirection.RecvOnly,
        _ => SdpDirection.Inactive,
    };
}
