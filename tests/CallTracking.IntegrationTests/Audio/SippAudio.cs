using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CallTracking.IntegrationTests.Infrastructure;

namespace CallTracking.IntegrationTests.Audio;

/// <summary>
/// Arguments for the audio scenarios in Scenarios/:
/// <list type="bullet">
/// <item><c>uac_pcmu_play_audio.xml</c> / <c>uac_pcma_play_audio.xml</c>: <see cref="PlayAudioKeys"/> gives
/// the -key values (<c>audio_pcap</c>, absolute path; <c>audio_ms</c>, how long to wait before BYE).</item>
/// <item><c>uac_dtmf_sequence.xml</c>: <see cref="WriteDtmfScenario"/> writes a copy that plays the given digits.</item>
/// <item><c>peers/uas_answer_rtp_to.xml</c>: <see cref="AnswerRtpToKeys"/> (an answering peer whose SDP points at a port of ours).</item>
/// </list>
/// sipp replaces -key keywords inside play_pcap_audio="…" when it loads the scenario (3.6.1),
/// but not in <c>&lt;pause milliseconds&gt;</c>: the scenarios copy [audio_ms] into a call variable
/// and pause on that. play_pcap_audio sends through a raw socket: sipp must run as root.
/// </summary>
public static partial class SippAudio
{
    public const string DtmfDirectory = "/usr/share/sip-tester";

    /// <summary>Keys for uac_pcm?_play_audio.xml: play <paramref name="pcapPath"/>, then wait <paramref name="wait"/> before BYE.</summary>
    public static IReadOnlyDictionary<string, string> PlayAudioKeys(string pcapPath, TimeSpan wait) => new Dictionary<string, string>
    {
        ["audio_pcap"] = Path.GetFullPath(pcapPath),
        ["audio_ms"] = ((int)Math.Ceiling(wait.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The scenario file for <paramref name="law"/>: uac_pcmu_play_audio.xml or uac_pcma_play_audio.xml.</summary>
    public static string PlayAudioScenario(G711Law law) => law == G711Law.MuLaw ? "uac_pcmu_play_audio.xml" : "uac_pcma_play_audio.xml";

    /// <summary>Keys for peers/uas_answer_rtp_to.xml: answer with SDP c=IN IP4 127.0.0.1, m=audio <paramref name="rtpPort"/> RTP/AVP <paramref name="payloadType"/>.</summary>
    public static IReadOnlyDictionary<string, string> AnswerRtpToKeys(int rtpPort, byte payloadType) => new Dictionary<string, string>
    {
        ["rtp_port"] = rtpPort.ToString(CultureInfo.InvariantCulture),
        ["rtp_payload"] = payloadType.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Debian's sipp capture of one RFC 4733 digit: dtmf_2833_0.pcap … _9, _star, _pound.</summary>
    public static string DtmfPcap(char digit) => Path.Combine(DtmfDirectory, digit switch
    {
        >= '0' and <= '9' => $"dtmf_2833_{digit}.pcap",
        '*' => "dtmf_2833_star.pcap",
        '#' => "dtmf_2833_pound.pcap",
        _ => throw new ArgumentOutOfRangeException(nameof(digit), digit, "sipp ships captures for 0-9, * and # only."),
    });

    /// <summary>
    /// Writes <c>&lt;directory&gt;/uac_dtmf_&lt;digits&gt;.xml</c>: Scenarios/uac_dtmf_sequence.xml with the steps
    /// between its BEGIN/END DTMF STEPS markers replaced by one play_pcap_audio per digit, each followed by
    /// a pause of <paramref name="gap"/> (default 500 ms; each capture lasts about 100 ms). Returns the absolute path,
    /// for <see cref="SippOptions.Scenario"/>.
    /// </summary>
    public static string WriteDtmfScenario(TestDirectory directory, string digits, TimeSpan? gap = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentException.ThrowIfNullOrEmpty(digits);
        var pause = (int)(gap ?? TimeSpan.FromMilliseconds(500)).TotalMilliseconds;
        var steps = new StringBuilder();
        steps.AppendLine("<!-- BEGIN DTMF STEPS -->");
        foreach (var digit in digits)
        {
            steps.Append(CultureInfo.InvariantCulture, $"  <nop><action><exec play_pcap_audio=\"{DtmfPcap(digit)}\"/></action></nop>\n")
                .Append(CultureInfo.InvariantCulture, $"  <pause milliseconds=\"{pause}\"/>\n");
        }

        steps.Append("  <!-- END DTMF STEPS -->");
        var template = File.ReadAllText(Path.Combine(Sipp.ScenarioDirectory, "uac_dtmf_sequence.xml"));
        var scenario = DtmfSteps().Replace(template, steps.ToString(), 1);
        if (scenario == template)
        {
            throw new InvalidDataException("uac_dtmf_sequence.xml has no BEGIN/END DTMF STEPS markers.");
        }

        var name = new string(digits.Select(c => c switch { '*' => 's', '#' => 'p', _ => c }).ToArray());
        var path = directory.File($"uac_dtmf_{name}.xml");
        File.WriteAllText(path, scenario, Encoding.Latin1);
        return path;
    }

    [GeneratedRegex("<!-- BEGIN DTMF STEPS -->.*?<!-- END DTMF STEPS -->", RegexOptions.Singleline)]
    private static partial Regex DtmfSteps();
}
