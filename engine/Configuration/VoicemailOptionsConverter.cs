using System.ComponentModel;
using System.Globalization;

namespace CallTracking.Engine.Configuration;

/// <summary>Lets the configuration binder read <c>"Voicemail": true</c> as well as a <c>Voicemail</c> section.</summary>
public sealed class VoicemailOptionsConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text
            ? bool.TryParse(text.Trim(), out var enabled)
                ? new VoicemailOptions { Enabled = enabled }
                : throw new FormatException($"\"{text}\" is neither true nor false.")
            : base.ConvertFrom(context, culture, value);
}
