using System.Buffers;
using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;

namespace CallTracking.Tests.Sip.Parsing;

public sealed class SipParserMutationTests
{
    private const int Iterations = 40_000;

    [Fact]
    public void Damaged_messages_never_throw_never_hang_and_allocate_nothing()
    {
        var random = new Random(20240611);
        using var m = new SipMessage();
        // Rent the largest buffer up front so growth does not count as per-parse allocation.
        SipParser.TryParse(new ReadOnlySequence<byte>(new byte[SipMessage.MaxMessageSize]), true, m, out _, out _);
        var scratch = new byte[SipMessage.MaxMessageSize + 1024];
        var sequences = new ReadOnlySequence<byte>[Iterations];
        var modes = new bool[Iterations];

        // Build the damaged inputs first so the measured loop does nothing but parse.
        for (int i = 0; i < Iterations; i++)
        {
            byte[] source = SipTestMessages.AllValid[random.Next(SipTestMessages.AllValid.Count)].Bytes;
            byte[] damaged = Damage(source, random, scratch);
            int cut = damaged.Length == 0 ? 0 : random.Next(damaged.Length + 1);
            sequences[i] = random.Next(3) == 0 ? new ReadOnlySequence<byte>(damaged) : SegmentedSequence.Split(damaged, cut);
            modes[i] = (i & 1) == 0;
        }

        var statuses = new int[3];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Iterations; i++)
        {
            SipParseStatus status = SipParser.TryParse(sequences[i], modes[i], m, out SequencePosition consumed, out SipParseError error);
            statuses[(int)status]++;
            ReadOnlySequence<byte> rest = sequences[i].Slice(consumed);
            _ = m.TopVia.Branch.Length + m.CallId.Length + m.FromTag.Length + m.ToTag.Length + rest.Length + (int)error;
            foreach (ReadOnlySpan<byte> v in m.GetHeaderValues(HeaderKind.Via))
            {
                _ = ViaHeader.TryParse(v, out _);
            }
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes over {Iterations} parses");
        Assert.True(statuses[(int)SipParseStatus.Invalid] > 1000, "mutations should produce invalid messages");
        Assert.True(statuses[(int)SipParseStatus.Complete] > 1000, "some mutations are harmless");
    }

    private static byte[] Damage(byte[] source, Random random, byte[] scratch)
    {
        int length = source.Length;
        source.CopyTo(scratch, 0);
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits; e++)
        {
            int at = length == 0 ? 0 : random.Next(length);
            switch (random.Next(9))
            {
                case 0: // flip a bit
                    if (length > 0) scratch[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // insert a random byte, often a delimiter
                    if (length < scratch.Length - 1)
                    {
                        Array.Copy(scratch, at, scratch, at + 1, length - at);
                        scratch[at] = Pick(random, "\r\n :;,<>\"@[]=\\\t"u8);
                        length++;
                    }
                    break;
                case 2: // delete a byte
                    if (length > 0)
                    {
                        Array.Copy(scratch, at + 1, scratch, at, length - at - 1);
                        length--;
                    }
                    break;
                case 3: // truncate
                    length = at;
                    break;
                case 4: // duplicate a line
                {
                    int start = LineStart(scratch, at);
                    int end = Array.IndexOf(scratch, (byte)'\n', at, length - at);
                    if (end > 0 && length + (end + 1 - start) < scratch.Length)
                    {
                        int lineLength = end + 1 - start;
                        Array.Copy(scratch, start, scratch, start + lineLength, length - start);
                        length += lineLength;
                    }
                    break;
                }
                case 5: // huge Content-Length
                {
                    ReadOnlySpan<byte> cl = "Content-Length: 99999999\r\n"u8;
                    int start = LineStart(scratch, at);
                    if (length + cl.Length < scratch.Length)
                    {
                        Array.Copy(scratch, start, scratch, start + cl.Length, length - start);
                        cl.CopyTo(scratch.AsSpan(start));
                        length += cl.Length;
                    }
                    break;
                }
                case 6: // non-ASCII
                    if (length > 0) scratch[at] = (byte)(0x80 + random.Next(128));
                    break;
                case 7: // NUL
                    if (length > 0) scratch[at] = 0;
                    break;
                default: // a run of a delimiter
                    for (int k = 0; k < 8 && at + k < length; k++)
                    {
                        scratch[at + k] = Pick(random, "\r\n<\"[;,"u8);
                    }
                    break;
            }
        }
        return scratch.AsSpan(0, length).ToArray();
    }

    private static int LineStart(byte[] data, int at)
    {
        int i = Math.Min(at, data.Length - 1);
        while (i > 0 && data[i - 1] != (byte)'\n') i--;
        return i;
    }

    private static byte Pick(Random random, ReadOnlySpan<byte> choices) => choices[random.Next(choices.Length)];
}
