using CallTracking.Engine.Sip.Messages;
using CallTracking.Engine.Sip.Parsing;
using CallTracking.Engine.Sip.Transport;

namespace CallTracking.Tests.Sip.Transport;

/// <summary>What a transport handed to <see cref="ISipMessageHandler.OnReceived"/>, copied out of the reused message.</summary>
internal sealed record ReceivedMessage(string Text, SipParseStatus Status, SipParseError Error, SipRemote Source, SipListener Listener);
