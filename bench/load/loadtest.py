#!/usr/bin/env python3
"""Load harness driver; bench/load/run builds and calls it. See bench/README.md "Load harness".

For each N: start the engine on 127.0.0.1 (free SIP port, its own RTP range, temp data folder), let sipp place N
concurrent calls that each play PCMU RTP at 50 packets/s for D seconds and hang up, sample the CPU of the engine
and of sipp from /proc over the window in which all N calls are up, read the engine's media stats line (Debug,
every 5 s: ticks, late ticks, worker busy time, RTP received/lost/late of ended sessions), stop the engine, and
print one table row. Every process is ours, bound to 127.0.0.1, bounded in calls and seconds, stopped by pid.
"""
import argparse, glob, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
ENGINE = os.path.join(ROOT, ".artifacts/bin/CallTracking.Engine/release/calltracking.dll")
NUMBER = "+15551230001"
HZ = os.sysconf("SC_CLK_TCK")
# The media workers (media-N) and, when recordings are encoded off the tick, their encoder threads (rec-enc-N).
MEDIA_THREADS = ("media-", "rec-enc-")
THRESHOLD = 0.5  # % late ticks, and % lost-or-late frames

STATS = re.compile(r"Media stats: sessions (?P<sessions>[\d/]+); ticks (?P<ticks>\d+), late (?P<late>\d+), busy (?P<busy>\d+) ms, "
                   r"max tick (?P<max>[\d.]+) ms; ended sessions (?P<ended>\d+): RTP (?P<rx>\d+) received, (?P<lost>\d+) lost, (?P<rlate>\d+) late")


def free_port(kind=socket.SOCK_DGRAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """utime+stime of a process and all its threads, in seconds (None once it has gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / HZ
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


def thread_cpu_seconds(pid, prefix):
    """utime+stime of the threads of a process whose names start with prefix (a string or a tuple of them)."""
    total = 0
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return None
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                text = f.read()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if text[text.index("(") + 1:text.rindex(")")].startswith(prefix):
            fields = text.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / HZ


def stats_lines(log_path):
    out = []
    with open(log_path, errors="replace") as f:
        for line in f:
            m = STATS.search(line)
            if m:
                d = {k: (v if k == "sessions" else float(v)) for k, v in m.groupdict().items()}
                d["t"] = line[:23]
                d["line"] = line
                out.append(d)
    return out


def wait_for(predicate, seconds, step=0.1):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def run_point(n, record, call_s, ramp_s, pcap, scenario, workdir, verbose, settle_s=2):
    point = tempfile.mkdtemp(prefix=f"n{n}-{'rec' if record else 'relay'}-", dir=workdir)
    # The engine's embedded PostgreSQL runs as the 'postgres' user, who must be able to enter every folder above its data.
    os.chmod(point, 0o755)
    sip_port = free_port()
    # A generous RTP range of our own: 2 ports a call, plus room for ports other programs hold.
    base = 40000 + (free_port() % 8) * 3000
    config = {
        "Logging": {"LogLevel": {"Default": "Warning", "CallTracking.Engine.Hosting.SipService": "Debug"}},
        # Both entries: the engine's defaults list udp and tcp on 0.0.0.0:5060, and an array override replaces by index.
        "Sip": {"Listen": [f"udp:127.0.0.1:{sip_port}", f"tcp:127.0.0.1:{sip_port}"]},
        "Media": {"Address": "127.0.0.1", "PortRange": f"{base}-{base + 2999}", "Record": record},
        "Trunks": [{"Name": "load", "Allow": ["127.0.0.1/32"]}],
        "Numbers": [{"Number": NUMBER, "Name": "Load test"}],
        "Data": {"Path": os.path.join(point, "data")},
    }
    config_path = os.path.join(point, "engine.json")
    with open(config_path, "w") as f:
        json.dump(config, f)
    log_path = os.path.join(point, "engine.log")
    log = open(log_path, "w")
    engine = subprocess.Popen(["dotnet", ENGINE, "run", "--config", config_path, f"--Data:Path={os.path.join(point, 'data')}"],
                              stdout=log, stderr=subprocess.STDOUT, cwd=point)
    result = {"n": n, "record": record}
    try:
        # Up when the first stats line is out (2 s after start), by which time SIP is listening.
        if not wait_for(lambda: stats_lines(log_path) or engine.poll() is not None, 30):
            raise RuntimeError("engine did not start")
        if engine.poll() is not None:
            raise RuntimeError("engine exited: " + open(log_path).read()[-2000:])

        if n == 0:
            # The machine's noise floor: an idle engine's workers still tick 50 times a second each, and on a shared
            # machine other programs' time slices make some of those ticks late.
            time.sleep(2)
            e0, t0, a = cpu_seconds(engine.pid), time.monotonic(), stats_lines(log_path)[-1]
            time.sleep(call_s)
            e1, t1, b = cpu_seconds(engine.pid), time.monotonic(), stats_lines(log_path)[-1]
            ticks = b["ticks"] - a["ticks"]
            result.update(engine_cpu=100 * (e1 - e0) / (t1 - t0), media_cpu=float("nan"), sipp_cpu=0.0, ticks=ticks, late_pct=100 * (b["late"] - a["late"]) / ticks,
                          worker_busy_pct=100 * (b["busy"] - a["busy"]) / (ticks * 20), max_tick_ms=b["max"], sessions=b["sessions"],
                          lost_pct=0.0, rx_of_sent_pct=float("nan"), sipp_rc=0, load=os.getloadavg()[0], recorded="-")
            return result

        rate = max(10, round(n / ramp_s))
        # rtp_stream (the default) sends from its own ports, counting up from -mp in steps of 2 a call: a range below
        # the kernel's ephemeral ports and the engine's (40000+), so neither can already hold one of them.
        media_port = "20000" if scenario.endswith("_stream.xml") else str(free_port())
        sipp_cmd = ["sipp", "-sf", scenario, "-s", NUMBER, f"127.0.0.1:{sip_port}", "-i", "127.0.0.1",
                    "-p", str(free_port()), "-mp", media_port, "-cp", str(free_port(socket.SOCK_STREAM)),
                    "-l", str(n), "-m", str(n), "-r", str(rate),
                    "-key", "audio_pcap", pcap, "-key", "audio_ms", str(int(call_s * 1000 + 500)),
                    "-timeout", f"{int(call_s + ramp_s + 60)}s", "-timeout_error", "-recv_timeout", "10s",
                    "-max_socket", str(max(1024, 4 * n)), "-nostdin",
                    "-trace_stat", "-stf", os.path.join(point, "sipp_stat.csv"), "-fd", "1",
                    "-trace_err", "-error_file", os.path.join(point, "sipp_err.log")]
        sipp_out = open(os.path.join(point, "sipp.out"), "w")
        started = time.monotonic()
        sipp = subprocess.Popen(sipp_cmd, stdout=sipp_out, stderr=subprocess.STDOUT, cwd=point)

        # Steady state: every call is up and the JIT has tiered the media path up (ramp done + settle_s) until 1 s
        # before the first call hangs up. A window that starts right after the ramp also counts the .NET tiered
        # compiler's thread (measured: 20-30 % of a core for the first ~10 s under load), which is start-up, not calls.
        ramp_done = n / rate
        window_start = started + ramp_done + settle_s
        window_end = started + call_s - 1
        if window_end - window_start < 2:
            raise RuntimeError(f"call length {call_s} s leaves no steady window after a {ramp_done:.0f} s ramp")
        time.sleep(max(0, window_start - time.monotonic()))
        e0, s0, m0, t0 = cpu_seconds(engine.pid), cpu_seconds(sipp.pid), thread_cpu_seconds(engine.pid, MEDIA_THREADS), time.monotonic()
        stats0 = stats_lines(log_path)
        time.sleep(max(0, window_end - time.monotonic()))
        e1, s1, m1, t1 = cpu_seconds(engine.pid), cpu_seconds(sipp.pid), thread_cpu_seconds(engine.pid, MEDIA_THREADS), time.monotonic()
        stats1 = stats_lines(log_path)
        load = os.getloadavg()[0]

        try:
            sipp_rc = sipp.wait(timeout=call_s + ramp_s + 90)
        except subprocess.TimeoutExpired:
            sipp.send_signal(signal.SIGTERM)
            sipp_rc = sipp.wait(timeout=10)
        # Let every session stop and the next stats line carry its RTP totals.
        wait_for(lambda: (lambda s: s and s[-1]["ended"] >= n and s[-1]["sessions"].replace("/", "").strip("0") == "")(stats_lines(log_path)), 20, 0.5)
        final = stats_lines(log_path)[-1]

        wall = t1 - t0
        result["engine_cpu"] = 100 * (e1 - e0) / wall
        result["media_cpu"] = 100 * (m1 - m0) / wall if m0 is not None and m1 is not None else float("nan")
        result["sipp_cpu"] = 100 * (s1 - s0) / wall if s0 is not None and s1 is not None else float("nan")
        # Ticks and late ticks between the last stats line before the window and the last one inside it.
        a, b = stats0[-1], stats1[-1]
        ticks = b["ticks"] - a["ticks"]
        result["ticks"] = ticks
        result["late_pct"] = 100 * (b["late"] - a["late"]) / ticks if ticks else float("nan")
        workers = len(b["sessions"].split("/"))
        span_ms = ticks / workers * 20
        result["worker_busy_pct"] = 100 * (b["busy"] - a["busy"]) / (ticks * 20) if ticks else float("nan")
        result["max_tick_ms"] = max(s["max"] for s in stats1[len(stats0) - 1:]) if len(stats1) >= len(stats0) else float("nan")
        result["sessions"] = b["sessions"]
        expected = n * call_s * 50
        result["rx"], result["lost"], result["rlate"] = final["rx"], final["lost"], final["rlate"]
        result["ended"] = final["ended"]
        result["rx_of_sent_pct"] = 100 * final["rx"] / expected
        # Frames the recording encoder threads fell too far behind for (written as silence); absent from older engines.
        m = re.search(r"recording frames dropped (\d+)", final.get("line", ""))
        result["dropped"] = int(m.group(1)) if m else 0
        result["lost_pct"] = 100 * (final["lost"] + final["rlate"]) / (final["rx"] + final["lost"]) if final["rx"] else float("nan")
        result["sipp_rc"] = sipp_rc
        result["load"] = load
        if record:
            files = glob.glob(os.path.join(point, "data", "recordings", "**", "*.opus"), recursive=True)
            good = [f for f in files if os.path.getsize(f) > 4000]
            result["recorded"] = f"{len(good)}/{n}" + (f" ({result['dropped']} frames dropped)" if result["dropped"] else "")
        else:
            result["recorded"] = "off"
        return result
    finally:
        if engine.poll() is None:
            engine.send_signal(signal.SIGTERM)
            try:
                engine.wait(timeout=30)
            except subprocess.TimeoutExpired:
                engine.kill()
                engine.wait()
        log.close()
        if not verbose:
            shutil.rmtree(os.path.join(point, "data"), ignore_errors=True)


def verdict(r):
    frames_ok = r["lost_pct"] < THRESHOLD and r["sipp_rc"] == 0
    ticks_ok = r["late_pct"] < THRESHOLD
    return frames_ok, ticks_ok


def fmt_row(r):
    frames_ok, ticks_ok = verdict(r)
    ok = "PASS" if frames_ok and ticks_ok else ("frames ok, ticks late" if frames_ok else "FAIL")
    per_call = r["engine_cpu"] / r["n"] if r["n"] else float("nan")
    media_per_call = r["media_cpu"] / r["n"] if r["n"] else float("nan")
    return (f"| {r['n']:>5} | {'on ' if r['record'] else 'off'} | {r['engine_cpu']:6.1f} | {per_call:6.3f} | {media_per_call:6.3f} | {r['sipp_cpu']:6.1f} "
            f"| {r['worker_busy_pct']:5.1f} | {r['max_tick_ms']:6.2f} | {r['late_pct']:6.2f} | {r['lost_pct']:6.2f} | {r['rx_of_sent_pct']:6.1f} "
            f"| {r['recorded']:>9} | {r['sipp_rc']:>4} | {r['load']:4.1f} | {ok} |")


HEADER = ("|     N | rec | engine CPU % of 1 core | CPU %/call | media threads CPU %/call | sipp CPU % | worker busy % | max tick ms | late ticks % | lost+late frames % | RTP rx % of sent | recorded OK | sipp rc | load1 | <0.5% |\n"
          "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--points", default="25,50,100,150,200,250,300,400,500,600,800,1000")
    p.add_argument("--modes", default="on,off")
    p.add_argument("--call-seconds", type=float, default=20)
    p.add_argument("--ramp-seconds", type=float, default=5)
    p.add_argument("--settle-seconds", type=float, default=8, help="after the ramp, before the CPU window opens (JIT tier-up)")
    p.add_argument("--opus-streams-per-core", type=float, help="the libopus ceiling measured by `opus-ceiling`, to compare with")
    p.add_argument("--idle-seconds", type=float, default=10, help="measure an idle engine first (0: skip)")
    p.add_argument("--keep", action="store_true", help="keep each point's folder (logs, recordings)")
    p.add_argument("--rtp", choices=("stream", "pcap"), default="stream",
                   help="how sipp sends the audio: rtp_stream (a few sender threads for every call; the default) or "
                        "play_pcap_audio (a thread per call, raw socket, root; what the 2026-11 tables used)")
    args = p.parse_args()

    workdir = tempfile.mkdtemp(prefix="calltracking-load-")
    os.chmod(workdir, 0o755)
    if args.rtp == "pcap":
        pcap = os.path.join(workdir, "caller.pcap")
        subprocess.run([sys.executable, os.path.join(HERE, "make_pcap.py"), pcap, str(args.call_seconds)], check=True)
        scenario = os.path.join(HERE, "uac_pcmu_play.xml")
    else:
        # The same audio as raw mu-law; rtp_stream takes its file name in the scenario itself, so write a copy with it.
        pcap = os.path.join(workdir, "caller.ulaw")
        subprocess.run([sys.executable, os.path.join(HERE, "make_pcap.py"), "--raw", pcap, str(args.call_seconds)], check=True)
        scenario = os.path.join(workdir, "uac_pcmu_stream.xml")
        with open(os.path.join(HERE, "uac_pcmu_stream.xml")) as f:
            text = f.read()
        with open(scenario, "w") as f:
            f.write(text.replace("AUDIO_FILE", pcap))
    print(f"# {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"calls {args.call_seconds:.0f} s of PCMU at 50 packets/s (sipp {'rtp_stream' if args.rtp == 'stream' else 'play_pcap_audio'}), ramp {args.ramp_seconds:.0f} s; work folder {workdir}", flush=True)
    print("# late ticks % = worker ticks that started >10 ms after their time / all worker ticks, in the window where all N calls are up", flush=True)
    print("# lost+late frames % = RTP packets the engine's receive statistics count lost (sequence gaps) or late (after playout) /"
          " packets expected, over every call of the point", flush=True)
    print("# CPU % = utime+stime from /proc/<pid>/stat over the same window, 100 % = one core; CPU %/call = engine CPU % / N;"
          " media threads = the engine's media-N workers and rec-enc-N recording encoders alone (/proc/<pid>/task/*/stat)", flush=True)
    print(HEADER, flush=True)
    best, best_frames = {}, {}
    if args.idle_seconds > 0:
        r = run_point(0, False, args.idle_seconds, 0, pcap, scenario, workdir, args.keep)
        print(fmt_row(r) + "  <- idle engine: the machine's late-tick noise floor", flush=True)
    for mode in args.modes.split(","):
        record = mode == "on"
        misses = 0
        for n in [int(x) for x in args.points.split(",")]:
            try:
                r = run_point(n, record, args.call_seconds, args.ramp_seconds, pcap, scenario, workdir, args.keep, args.settle_seconds)
            except Exception as e:  # one broken point must not hide the others' figures
                print(f"| {n:>5} | {mode} | error: {e} |", flush=True)
                break
            print(fmt_row(r), flush=True)
            frames_ok, ticks_ok = verdict(r)
            if frames_ok:
                best_frames[mode] = r
                if ticks_ok:
                    best[mode] = r
            # Frames lost end a series; late ticks alone can be another program's doing on a shared machine, so
            # a series goes on until two points in a row miss, or the engine has no CPU left.
            misses = 0 if frames_ok and ticks_ok else misses + 1
            if not frames_ok or misses >= 2 or r["engine_cpu"] > 100 * os.cpu_count() * 0.95:
                break
    for mode in args.modes.split(","):
        label = "recorded" if mode == "on" else "relayed-only (recording off)"
        for name, table in ((f"<{THRESHOLD}% late ticks and <{THRESHOLD}% lost+late frames", best), (f"<{THRESHOLD}% lost+late frames alone", best_frames)):
            r = table.get(mode)
            if r:
                print(f"largest N {label} with {name}: {r['n']} (engine {r['engine_cpu']:.0f}% of one core, {r['engine_cpu'] / r['n']:.3f}% per call)", flush=True)
            else:
                print(f"largest N {label} with {name}: none of the points", flush=True)
    cores = os.cpu_count()
    if args.opus_streams_per_core:
        ceiling = args.opus_streams_per_core * cores
        print(f"libopus ceiling: {args.opus_streams_per_core:.0f} streams encoded in real time per core, {ceiling:.0f} on {cores} cores", flush=True)
        for name, table in (("both criteria", best), ("frames alone", best_frames)):
            if "on" in table:
                ratio = 100 * table["on"]["n"] / ceiling
                print(f"recorded calls ({name}) / libopus ceiling: {table['on']['n']} / {ceiling:.0f} = {ratio:.0f}% (target >= 70%: {'met' if ratio >= 70 else 'NOT met'})", flush=True)
        if "on" in best_frames:
            # What the engine alone would carry if the load generator ran elsewhere: the machine's cores over the
            # engine's measured CPU per recorded call at the largest passing point (sipp's share shown beside it).
            r = best_frames["on"]
            per_call, sipp_per_call = r["engine_cpu"] / r["n"], r["sipp_cpu"] / r["n"]
            alone = 100 * cores / per_call
            print(f"engine alone by CPU: {per_call:.3f}% of a core per recorded call (libopus alone: {100 / args.opus_streams_per_core:.3f}%) "
                  f"-> {alone:.0f} calls on {cores} cores = {100 * alone / ceiling:.0f}% of the ceiling; with sipp's {sipp_per_call:.3f}% per call "
                  f"on the same cores: {100 * cores / (per_call + sipp_per_call):.0f} calls at 100% CPU", flush=True)
    if "off" in best_frames:
        r = best_frames["off"]
        per_call = r["engine_cpu"] / r["n"]
        print(f"relayed-only: {r['n']} calls at {per_call:.3f}% of a core each -> {100 * cores / per_call:.0f} calls on {cores} cores by CPU "
              f"(target >= 500 calls, < 0.4% per call: {'met' if r['n'] >= 500 and per_call < 0.4 else 'NOT met'})", flush=True)
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
