using CallTracking.Engine.Outbound;
using CallTracking.Engine.Tracking.Conversions;
using CallTracking.Engine.Webhooks;

using CallTracking.Tests.Tracking.Conversions;

namespace CallTracking.Tests.Outbound;

public sealed class OutboundUnitTests
{
    [Fact]
    public void The_default_back_off_keeps_retrying_for_at_least_24_hours()
    {
        Assert.True(RetrySchedule.MinimumSpan(new OutboundOptions()) >= TimeSpan.FromHours(24));
    }

    [Fact]
    public void Back_off_doubles_up_to_the_cap_and_jitter_only_lengthens()
    {
        var options = new OutboundOptions { RetryBase = TimeSpan.FromSeconds(30), RetryMax = TimeSpan.FromHours(1) };
        var low = new RetrySchedule(options, () => 0);
        var high = new RetrySchedule(options, () => 0.999);
        Assert.Equal(TimeSpan.FromSeconds(30), low.DelayAfter(1));
        Assert.Equal(TimeSpan.FromSeconds(60), low.DelayAfter(2));
        Assert.Equal(TimeSpan.FromSeconds(240), low.DelayAfter(4));
        Assert.Equal(TimeSpan.FromHours(1), low.DelayAfter(20));
        Assert.InRange(high.DelayAfter(2), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(72));
    }

    [Fact]
    public void Signature_is_hmac_sha256_of_timestamp_dot_body_in_stripe_form()
    {
        // Python: hmac.new(b"whsec_test_secret_0123456789", b'1767225600.{"id":"evt_1"}', hashlib.sha256).hexdigest()
        var at = DateTimeOffset.FromUnixTimeSeconds(1767225600);
        var header = WebhookSignature.Sign("whsec_test_secret_0123456789", "{\"id\":\"evt_1\"}", at);
        Assert.Equal("t=1767225600,v1=569800164e55480787b59f35232607ab3617785a2dc95a6bc862cda8b5506c32", header);
        Assert.True(WebhookSignature.Verify("whsec_test_secret_0123456789", "{\"id\":\"evt_1\"}", header, at.AddMinutes(4), WebhookSignature.DefaultTolerance));
    }

    [Fact]
    public void Signature_fails_for_another_body_secret_or_a_stale_timestamp()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1767225600);
        var header = WebhookSignature.Sign("whsec_test_secret_0123456789", "{\"id\":\"evt_1\"}", at);
        Assert.False(WebhookSignature.Verify("whsec_test_secret_0123456789", "{\"id\":\"evt_2\"}", header, at, WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify("another_secret_0123456789", "{\"id\":\"evt_1\"}", header, at, WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify("whsec_test_secret_0123456789", "{\"id\":\"evt_1\"}", header, at.AddMinutes(6), WebhookSignature.DefaultTolerance));
        Assert.False(WebhookSignature.Verify("whsec_test_secret_0123456789", "{\"id\":\"evt_1\"}", "v1=abc", at, WebhookSignature.DefaultTolerance));
    }

    [Theory]
    [InlineData(200, OutcomeKind.Sent)]
    [InlineData(204, OutcomeKind.Sent)]
    [InlineData(400, OutcomeKind.Rejected)]
    [InlineData(401, OutcomeKind.Rejected)]
    [InlineData(408, OutcomeKind.Retry)]
    [InlineData(429, OutcomeKind.Retry)]
    [InlineData(500, OutcomeKind.Retry)]
    [InlineData(503, OutcomeKind.Retry)]
    public void Http_status_maps_to_sent_rejected_or_retry(int status, OutcomeKind kind)
    {
        Assert.Equal(kind, DeliveryOutcome.FromStatus(status, null).Kind);
    }

    [Fact]
    public void Platform_answers_with_per_row_errors_are_rejections_with_the_platforms_reason()
    {
        var google = ConversionRequests.Classify(ConversionPlatform.GoogleAds, 200, """{"partialFailureError":{"code":3,"message":"The click is too old."},"results":[{}]}""");
        Assert.Equal(OutcomeKind.Rejected, google.Kind);
        Assert.Equal("The click is too old.", google.Reason);
        Assert.Equal(OutcomeKind.Accepted, ConversionRequests.Classify(ConversionPlatform.GoogleAds, 200, """{"results":[{"gclid":"x"}]}""").Kind);
        var meta = ConversionRequests.Classify(ConversionPlatform.Meta, 400, """{"error":{"message":"Invalid parameter","code":100}}""");
        Assert.Equal(OutcomeKind.Rejected, meta.Kind);
        Assert.Equal("HTTP 400: Invalid parameter", meta.Reason);
        Assert.Equal(OutcomeKind.Rejected, ConversionRequests.Classify(ConversionPlatform.MicrosoftAds, 200, """{"PartialErrors":[{"Message":"Click id not found"}]}""").Kind);
        Assert.Equal(OutcomeKind.Sent, ConversionRequests.Classify(ConversionPlatform.Ga4, 204, null).Kind);
        Assert.Equal(OutcomeKind.Retry, ConversionRequests.Classify(ConversionPlatform.Meta, 503, null).Kind);
    }

    [Fact]
    public void Credentials_are_added_when_sending_not_stored_in_the_url()
    {
        var request = ConversionRequests.Build(ConversionFixtures.Ga4(), ConversionFixtures.NoClickCall);
        Assert.DoesNotContain("s3cret", request.Url, StringComparison.Ordinal);
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url);
        ConversionRequests.Authorize(message, ConversionPlatform.Ga4, ConversionFixtures.Ga4().Settings);
        Assert.Equal("https://www.google-analytics.com/mp/collect?measurement_id=G-TEST123&api_secret=s3cret", message.RequestUri!.ToString());
    }
}
