using System.Text;

namespace CallTracking.Tests.Sip.Outbound;

/// <summary>Hand-built DNS responses (RFC 1035 wire format) shared by the DNS tests.</summary>
internal static class DnsTestMessages
{
    public static List<byte> Header(int answers, int questions = 1, int additional = 0, ushort id = 0x4242)
        => [(byte)(id >> 8), (byte)id, 0x81, 0x80, 0, (byte)questions, 0, (byte)answers, 0, 0, 0, (byte)additional];

    /// <summary>SRV for _sip._udp.office.test: sip1 (10/60/5070) and sip2 (20/0/5080), sip1's A in additional;
    /// owner names and targets compressed against the question.</summary>
    public static byte[] SrvAnswer()
    {
        var m = Header(answers: 2, additional: 1);
        var question = m.Count;
        m.AddRange(Name("_sip", "_udp", "office", "test"));
        m.AddRange([0, 33, 0, 1]);
        // "office.test" inside the question, for the targets.
        var officeTest = question + 1 + 4 + 1 + 4;
        var sip1 = AddSrv(m, question, 10, 60, 5070, "sip1", officeTest);
        AddSrv(m, question, 20, 0, 5080, "sip2", officeTest);
        m.AddRange([(byte)(0xC0 | (sip1 >> 8)), (byte)sip1, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 10]);
        return [.. m];
    }

    private static int AddSrv(List<byte> m, int owner, ushort priority, ushort weight, ushort port, string label, int suffix)
    {
        m.AddRange([(byte)(0xC0 | (owner >> 8)), (byte)owner, 0, 33, 0, 1, 0, 0, 1, 44]);
        var rdLength = 6 + 1 + label.Length + 2;
        m.AddRange([0, (byte)rdLength, (byte)(priority >> 8), (byte)priority, (byte)(weight >> 8), (byte)weight, (byte)(port >> 8), (byte)port]);
        var target = m.Count;
        m.Add((byte)label.Length);
        m.AddRange(Encoding.ASCII.GetBytes(label));
        m.AddRange([(byte)(0xC0 | (suffix >> 8)), (byte)suffix]);
        return target;
    }

    private static byte[] Name(params string[] labels)
    {
        var bytes = new List<byte>();
        foreach (var label in labels)
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }
}
