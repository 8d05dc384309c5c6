using System.Buffers.Binary;
using System.Text;

namespace CallTracking.IntegrationTests.Transcription;

/// <summary>
/// Writes a valid ggml Whisper model with tiny dimensions and seeded random weights: no real
/// weights can be downloaded here, and whisper.cpp loads this one and decodes with it for
/// real (mel, encoder, decoder, timestamp rules), so segments come back with meaningless
/// text and timestamps inside the audio.
/// </summary>
/// <remarks>
/// The legacy ggml layout read by <c>whisper_model_load</c> in src/whisper.cpp of whisper.cpp
/// 1.9.1, all little-endian: magic 0x67676d6c; eleven int32 hyper-parameters; the mel filter
/// bank (n_mel, n_fft, n_mel*n_fft float32); the vocabulary (count, then length-prefixed
/// UTF-8 tokens); then every tensor as (n_dims, name length, type, ne[0..n_dims), name, data)
/// with the names and shapes of src/whisper-arch.h. ftype 1 (F16): ggml's CPU im2col, which
/// the encoder's convolutions use, only takes F16 kernels; matrices and the token embedding
/// are F16 too, norms, biases and positional embeddings F32.
/// Audio and text contexts keep the real 1500 / 448 positions, so 30 s windows and
/// timestamps mean what they mean with a real model.
/// </remarks>
public static class TinyWhisperModel
{
    private const uint Magic = 0x67676d6c;
    private const int AudioContext = 1500;
    private const int TextContext = 448;
    private const int Mels = 80;
    private const int FftBins = 201;
    private const int EndOfText = 50256;
    private const int EnglishVocabulary = 51864;
    private const int MultilingualVocabulary = 51865;
    private const int TypeF32 = 0;
    private const int TypeF16 = 1;

    /// <summary>Writes the model to <paramref name="path"/>, replacing any file there.</summary>
    public static void WriteFile(string path, TinyWhisperModelOptions? options = null)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(stream, options ?? new TinyWhisperModelOptions());
    }

    public static void Write(Stream stream, TinyWhisperModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        if (options.State % options.Heads != 0)
        {
            throw new ArgumentException("State must be a multiple of Heads.", nameof(options));
        }

        var random = new Random(options.Seed);
        using var output = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        var vocabulary = options.Multilingual ? MultilingualVocabulary : EnglishVocabulary;
        var s = options.State;

        output.Write(Magic);
        foreach (var value in (int[])[vocabulary, AudioContext, s, options.Heads, options.AudioLayers, TextContext, s, options.Heads, options.TextLayers, Mels, TypeF16])
        {
            output.Write(value);
        }

        output.Write(Mels);
        output.Write(FftBins);
        for (var i = 0; i < Mels * FftBins; i++)
        {
            output.Write((float)(random.NextDouble() * 0.01));
        }

        WriteVocabulary(output);

        var tensors = new TensorWriter(output, random);
        tensors.F32("encoder.positional_embedding", s, AudioContext);
        tensors.F16("encoder.conv1.weight", 3, Mels, s);
        tensors.F32("encoder.conv1.bias", 1, s);
        tensors.F16("encoder.conv2.weight", 3, s, s);
        tensors.F32("encoder.conv2.bias", 1, s);
        tensors.F32("encoder.ln_post.weight", s);
        tensors.F32("encoder.ln_post.bias", s);
        for (var i = 0; i < options.AudioLayers; i++)
        {
            WriteBlock(tensors, $"encoder.blocks.{i}.", s, cross: false);
        }

        tensors.F32("decoder.positional_embedding", s, TextContext);
        tensors.F16("decoder.token_embedding.weight", s, vocabulary);
        tensors.F32("decoder.ln.weight", s);
        tensors.F32("decoder.ln.bias", s);
        for (var i = 0; i < options.TextLayers; i++)
        {
            WriteBlock(tensors, $"decoder.blocks.{i}.", s, cross: true);
        }

        output.Flush();
    }

    // Tokens 0..end-of-text: made-up syllables ("ka", " bo", ...), all different, with " "
    // at 220 as in GPT-2's vocabulary (whisper.cpp's blank suppression looks it up by text).
    // The special tokens after end-of-text are added by whisper.cpp itself.
    private static void WriteVocabulary(BinaryWriter output)
    {
        const string consonants = "bdfghklmnprstvz";
        const string vowels = "aeiou";
        var syllables = consonants.SelectMany(c => vowels.Select(v => $"{c}{v}")).ToArray();
        output.Write(EndOfText + 1);
        var text = new StringBuilder();
        for (var id = 0; id <= EndOfText; id++)
        {
            text.Clear();
            if (id == EndOfText)
            {
                text.Append("<|endoftext|>");
            }
            else if (id == 220)
            {
                text.Append(' ');
            }
            else
            {
                if (id % 2 == 0)
                {
                    text.Append(' ');
                }

                for (var k = id / 2; ; k /= syllables.Length)
                {
                    text.Append(syllables[k % syllables.Length]);
                    if (k < syllables.Length)
                    {
                        break;
                    }
                }
            }

            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            output.Write(bytes.Length);
            output.Write(bytes);
        }
    }

    private static void WriteBlock(TensorWriter tensors, string prefix, int s, bool cross)
    {
        tensors.F32(prefix + "mlp_ln.weight", s);
        tensors.F32(prefix + "mlp_ln.bias", s);
        tensors.F16(prefix + "mlp.0.weight", s, 4 * s);
        tensors.F32(prefix + "mlp.0.bias", 4 * s);
        tensors.F16(prefix + "mlp.2.weight", 4 * s, s);
        tensors.F32(prefix + "mlp.2.bias", s);
        WriteAttention(tensors, prefix + "attn_ln", prefix + "attn", s);
        if (cross)
        {
            WriteAttention(tensors, prefix + "cross_attn_ln", prefix + "cross_attn", s);
        }
    }

    private static void WriteAttention(TensorWriter tensors, string norm, string attention, int s)
    {
        tensors.F32(norm + ".weight", s);
        tensors.F32(norm + ".bias", s);
        tensors.F16(attention + ".query.weight", s, s);
        tensors.F32(attention + ".query.bias", s);
        tensors.F16(attention + ".key.weight", s, s);
        tensors.F16(attention + ".value.weight", s, s);
        tensors.F32(attention + ".value.bias", s);
        tensors.F16(attention + ".out.weight", s, s);
        tensors.F32(attention + ".out.bias", s);
    }

    /// <summary>Writes one tensor record with normally distributed weights (σ 0.5).</summary>
    private sealed class TensorWriter(BinaryWriter output, Random random)
    {
        public void F32(string name, params int[] shape) => Write(name, TypeF32, shape);

        public void F16(string name, params int[] shape) => Write(name, TypeF16, shape);

        private void Write(string name, int type, int[] shape)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            output.Write(shape.Length);
            output.Write(nameBytes.Length);
            output.Write(type);
            var elements = 1;
            foreach (var dimension in shape)
            {
                output.Write(dimension);
                elements *= dimension;
            }

            output.Write(nameBytes);
            var width = type == TypeF16 ? 2 : 4;
            var buffer = new byte[elements * width];
            for (var i = 0; i < elements; i++)
            {
                var value = (float)(Gaussian() * 0.5);
                if (type == TypeF16)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(buffer.AsSpan(i * 2), (Half)value);
                }
                else
                {
                    BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), value);
                }
            }

            output.Write(buffer);
        }

        // Box–Muller: Random has no normal distribution of its own.
        private double Gaussian()
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
    }
}
