using CallTracking.Engine.Transcription;

namespace CallTracking.Tests.Transcription;

public sealed class SegmentMergerTests
{
    [Fact]
    public void Both_speakers_segments_are_interleaved_by_start_time()
    {
        TranscriptSegment[] caller = [new(Speaker.Caller, 0, 900, "hello", 0.9f), new(Speaker.Caller, 3000, 3500, "thanks", 0.9f)];
        TranscriptSegment[] business = [new(Speaker.Business, 1000, 2500, "how can I help", 0.8f), new(Speaker.Business, 4000, 4200, "bye", 0.8f)];

        var merged = SegmentMerger.Merge(caller, business);

        Assert.Equal(["hello", "how can I help", "thanks", "bye"], merged.Select(s => s.Text));
    }

    [Fact]
    public void At_the_same_start_the_shorter_segment_comes_first_then_the_caller()
    {
        TranscriptSegment[] caller = [new(Speaker.Caller, 1000, 2000, "caller long", 0.9f), new(Speaker.Caller, 5000, 5500, "caller tie", 0.9f)];
        TranscriptSegment[] business = [new(Speaker.Business, 1000, 1500, "business short", 0.8f), new(Speaker.Business, 5000, 5500, "business tie", 0.8f)];

        var merged = SegmentMerger.Merge(business, caller);

        Assert.Equal(["business short", "caller long", "caller tie", "business tie"], merged.Select(s => s.Text));
    }

    [Fact]
    public void One_silent_side_gives_the_other_sides_segments_unchanged()
    {
        TranscriptSegment[] caller = [new(Speaker.Caller, 0, 900, "hello", 0.9f)];

        Assert.Equal(caller, SegmentMerger.Merge(caller, []));
    }
}
