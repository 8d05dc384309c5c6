#!/usr/bin/env python3
"""Writes a pcap of PCMU RTP in 20 ms packets (50 packets/s) for sipp's play_pcap_audio, or (--raw) the same
audio as raw mu-law bytes for sipp's rtp_stream, which packetises it itself (160 bytes = 20 ms a packet).

A voice-like signal (a few harmonics whose pitch and loudness wander, plus a little noise,
with short pauses) so the recorder's Opus encoder works as hard as it does on speech:
silence would encode far cheaper and flatter the result.
usage: make_pcap.py OUT.pcap SECONDS
       make_pcap.py --raw OUT.ulaw SECONDS
"""
import math, random, struct, sys

def ulaw(sample):
    # G.711 mu-law, the classic bias-and-segment encoder.
    BIAS, CLIP = 0x84, 32635
    sign = 0x80 if sample < 0 else 0
    if sample < 0:
        sample = -sample
    sample = min(sample, CLIP) + BIAS
    exponent, mask = 7, 0x4000
    while exponent > 0 and not (sample & mask):
        exponent -= 1
        mask >>= 1
    mantissa = (sample >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF

def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF

def main(path, seconds, raw=False):
    rnd = random.Random(42)
    packets = int(seconds * 50)
    src, dst = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
    phase = 0.0
    for i in range(packets):
        samples = []
        for n in range(160):
            t = (i * 160 + n) / 8000.0
            pitch = 120 + 40 * math.sin(2 * math.pi * 0.7 * t)
            loud = max(0.0, math.sin(2 * math.pi * 0.45 * t)) ** 0.5  # pauses between "words"
            phase += 2 * math.pi * pitch / 8000.0
            v = sum(math.sin(k * phase) / k for k in (1, 2, 3, 5, 7))
            samples.append(int(loud * 6000 * v + rnd.gauss(0, 150)))
        payload = bytes(ulaw(s) for s in samples)
        if raw:
            out.append(payload)
            continue
        rtp = struct.pack("!BBHII", 0x80, (0x80 if i == 0 else 0) | 0, (1000 + i) & 0xFFFF, 160000 + 160 * i, 0x43540001) + payload
        udp_len = 8 + len(rtp)
        pseudo = src + dst + struct.pack("!BBH", 0, 17, udp_len)
        udp = struct.pack("!HHHH", 40000, 6000, udp_len, 0)
        csum = checksum(pseudo + udp + rtp) or 0xFFFF
        udp = struct.pack("!HHHH", 40000, 6000, udp_len, csum)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, i & 0xFFFF, 0, 64, 17, 0, src, dst)
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
        frame = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00" + ip + udp + rtp
        usec = i * 20000
        out.append(struct.pack("<IIII", 1767225600 + usec // 1000000, usec % 1000000, len(frame), len(frame)) + frame)
    if raw:
        out = out[1:]  # no pcap file header
    with open(path, "wb") as f:
        f.write(b"".join(out))

if __name__ == "__main__":
    if sys.argv[1] == "--raw":
        main(sys.argv[2], float(sys.argv[3]), raw=True)
    else:
        main(sys.argv[1], float(sys.argv[2]))
