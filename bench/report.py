#!/usr/bin/env python3
"""Renders the figures scripts/bench collected ("<key> <value>" lines) as the Markdown results.

Every lockhub figure is set against the baselines of the same run: (a) lockhub-sim's D-Bus floor,
(b) the naive dbus-monitor | mosquitto_pub relay, (c) mosquitto_pub -> mosquitto_sub alone.
usage: bench/report.py FIGURES
"""
import sys

def load(path):
    figures, text = {}, {}
    for line in open(path, encoding="utf-8"):
        key, _, value = line.rstrip("\n").partition(" ")
        if key == "commit":  # a short hash can be all digits
            text[key] = value
            continue
        try:
            figures[key] = float(value)
        except ValueError:
            text[key] = value
    return figures, text


def main():
    f, t = load(sys.argv[1])
    get = f.get

    def ms(key):
        return f"{f[key]:.2f} ms" if key in f else "–"

    def ratio(a, b):
        return f"{f[a] / f[b]:.2f}" if a in f and f.get(b) else "–"

    def rate(key):
        return f"{f[key]:,.0f}/s" if key in f else "–"

    def kib(key):
        return f"{f[key] / 1024:.1f} MiB" if key in f else "–"

    out = []
    say = out.append
    say("## scripts/bench results\n")
    say(f"- machine: {t.get('machine', '?')}, {int(get('nproc', 0))} cores; {t.get('os', '')}")
    say(f"- date: {t.get('date', '?')}; commit `{t.get('commit', '?')}`")
    say(f"- load average (1 min) at the start / end: {get('load_start', float('nan')):.2f} / "
        f"{get('load_end', float('nan')):.2f} (other sessions' builds share the cores); "
        f"run took {get('run_seconds', 0):.0f} s")
    say("- medians everywhere; each lockhub figure also as a ratio to the same run's baselines: "
        "(a) lockhub-sim's D-Bus floor, (b) the naive relay `dbus-monitor | mosquitto_pub -l`, "
        "(c) `mosquitto_pub` → `mosquitto_sub` alone (QoS 1, as lockhubd's events)\n")

    say("### Baselines\n")
    say("| baseline | latency median | p99 | rate |")
    say("|---|---|---|---|")
    say(f"| (a) write→notify round trip through lockhub-sim's D-Bus | {ms('floor_rtt_median_ms')} "
        f"| {ms('floor_rtt_p99_ms')} | |")
    say(f"| (a) one lock's burst, one record in flight, acked at once by an in-process hub link | "
        f"| | {rate('floor_burst_records_per_s')} |")
    say(f"| (b) naive relay, one record: emitted → the last of its "
        f"{get('relay_notifications_per_record', 0):.0f} notifications "
        f"({get('relay_lines_per_notification', 0):.0f} lines each) at a subscriber "
        f"| {ms('relay_latency_median_ms')} | {ms('relay_latency_p99_ms')} | |")
    say(f"| (b) naive relay, 10-lock backlog of 10,000 records (paced by lockhubd's acks; "
        f"lockhubd beside it: {rate('relay_hub_events_per_s')}, "
        f"{rate('relay_lines_per_s')} lines) | | | {rate('relay_events_per_s')} |")
    say(f"| (c) `mosquitto_pub -l` → `mosquitto_sub` | {ms('stock_latency_median_ms')} | "
        f"{ms('stock_latency_p99_ms')} | {rate('stock_messages_per_s')} |")
    say("")

    say("### Event and command paths\n")
    say("| path | median | p99 | ÷ (a) | ÷ (b) | ÷ (c) |")
    say("|---|---|---|---|---|---|")
    for key, label in (("1", "1 lock (`always`)"), ("10", "10 locks (`always`)"),
                       ("50", "50 locks (`on_demand`)")):
        m, p = f"event_median_ms_{key}", f"event_p99_ms_{key}"
        say(f"| event, {label} | {ms(m)} | {ms(p)} | {ratio(m, 'floor_rtt_median_ms')} | "
            f"{ratio(m, 'relay_latency_median_ms')} | {ratio(m, 'stock_latency_median_ms')} |")
    for m, p, label in (("sleepy_event_median_ms", "sleepy_event_p99_ms",
                         "sleeping battery lock (`on_demand`), fingerprint → event"),
                        ("sleepy_always_event_median_ms", "sleepy_always_event_p99_ms",
                         "same battery lock kept connected (`always`)")):
        say(f"| {label} | {ms(m)} | {ms(p)} | {ratio(m, 'floor_rtt_median_ms')} | "
            f"{ratio(m, 'relay_latency_median_ms')} | {ratio(m, 'stock_latency_median_ms')} |")
    for key, label in (("1", "1 lock"), ("10", "10 locks"), ("50", "50 locks (`on_demand`)")):
        m, p = f"command_median_ms_{key}", f"command_p99_ms_{key}"
        say(f"| command, {label}: `set` → `set/result` | {ms(m)} | {ms(p)} | "
            f"{ratio(m, 'floor_rtt_median_ms')} | – | {ratio(m, 'stock_latency_median_ms')} |")
    say("")
    say("| durable events/s | lockhub | ÷ (a) one lock's floor | ÷ (b) relay | ÷ (c) |")
    say("|---|---|---|---|---|")
    for key, label in (("events_per_s_1", "1 lock, 10,000 records"),
                       ("events_per_s_10", "10 locks, 1,000 each"),
                       ("events_per_s_50", "50 locks (`on_demand`), 10 rounds of 20 each"),
                       ("sleepy_events_per_s", "sleeping battery lock waking with 20 records"),
                       ("sleepy_always_events_per_s", "same lock kept connected, 20 records")):
        say(f"| {label} | {rate(key)} | {ratio(key, 'floor_burst_records_per_s')} | "
            f"{ratio(key, 'relay_events_per_s')} | {ratio(key, 'stock_messages_per_s')} |")
    say("")
    say("| lockhubd's CPU per durable event (all threads, over the backlog) | 1 lock | 10 locks "
        "| 50 locks |")
    say("|---|---|---|---|")
    say("| µs | " + " | ".join(f"{f[k]:.0f}" if k in f else "–" for k in
                            ("cpu_us_per_event_1", "cpu_us_per_event_10", "cpu_us_per_event_50"))
        + " |")
    say("")
    say("| while retention trims 120,000 records to 100,000 | median | p99 | slowest | answers "
        "| trimmed in |")
    say("|---|---|---|---|---|---|")
    say(f"| `bridge/request/health` → response | {ms('retention_health_median_ms')} | "
        f"{ms('retention_health_p99_ms')} | {ms('retention_health_max_ms')} | "
        f"{get('retention_health_samples', 0):.0f} | {get('retention_trim_s', float('nan')):.1f} s |")
    say("")

    say("### Footprint\n")
    say("| measure | lockhub | baseline, same run |")
    say("|---|---|---|")
    say(f"| start-up to retained `online` (no locks, fresh state dir) | {ms('startup_ms')} | "
        f"`mosquitto_pub` start → delivery {ms('startup_baseline_ms')} "
        f"(ratio {ratio('startup_ms', 'startup_baseline_ms')}) |")
    say(f"| RSS once online, no locks | {kib('rss_startup_kib')} | |")
    for n in ("1", "10", "50"):
        say(f"| RSS, {n} lock(s): online / after 10,000 events (after: PSS, private dirty) | "
            f"{kib('rss_online_kib_' + n)} / {kib('rss_after_kib_' + n)} "
            f"({kib('pss_after_kib_' + n)}, {kib('private_dirty_after_kib_' + n)}) | |")
    say(f"| idle CPU, 10 locks, {get('idle_seconds', 0):.0f} s | "
        f"{get('idle_cpu_percent', float('nan')):.3f} % | |")
    say(f"| idle wake-ups: event-loop thread / all {get('idle_threads', 0):.0f} threads | "
        f"{get('idle_loop_wakeups_per_s', float('nan')):.2f}/s / "
        f"{get('idle_all_wakeups_per_s', float('nan')):.2f}/s | |")
    say(f"| `lockhubd` stripped (Release) | {get('binary_stripped_kib', 0):,.0f} KiB | "
        f"unstripped {get('binary_kib', 0):,.0f} KiB |")
    say("")

    say("### Protocol hot paths (CPU ns per frame)\n")
    say("| benchmark | median | ÷ raw AES | ÷ AES, cipher prefetched |")
    say("|---|---|---|---|")
    for name, op in (("DecryptDecodeReport_OnePacket", "Decrypt32"),
                     ("DecryptDecodeReport_Mtu20", "Decrypt32"),
                     ("EncodeEncryptDpWrite_OnePacket", "Encrypt32"),
                     ("EncodeEncryptDpWrite_Mtu20", "Encrypt32")):
        k = f"protocol_BM_{name}_ns"
        say(f"| {name} | {get(k, 0):.0f} | {ratio(k, f'protocol_BM_Baseline_RawAes128Cbc{op}_ns')} "
            f"| {ratio(k, f'protocol_BM_Baseline_PrefetchedAes128Cbc{op}_ns')} |")
    say("")

    say("### Against the targets of issue 13\n")
    say("| measure | target | measured | |")
    say("|---|---|---|---|")
    floor = get("floor_rtt_median_ms")
    floor99 = get("floor_rtt_p99_ms")

    def row(label, target, value, ok, unit):
        if value is None:
            say(f"| {label} | {target} | – | |")
        else:
            say(f"| {label} | {target} | {value:,.2f} {unit} | {'met' if ok(value) else 'missed'} |")

    for n in ("1", "10"):
        m, p = get(f"event_median_ms_{n}"), get(f"event_p99_ms_{n}")
        row(f"event median above the D-Bus floor, {n} lock(s)", "≤ 1 ms",
            m - floor if m is not None and floor is not None else None, lambda v: v <= 1, "ms")
        row(f"event p99 above the D-Bus floor, {n} lock(s)", "≤ 5 ms",
            p - floor99 if p is not None and floor99 is not None else None, lambda v: v <= 5, "ms")
    best = max((get(f"events_per_s_{n}", 0) for n in ("1", "10", "50")), default=0)
    row("durable events/s (best of 1/10/50 locks)", "≥ 5,000", best, lambda v: v >= 5000, "/s")
    rss50 = max(get("rss_online_kib_50", 0), get("rss_after_kib_50", 0)) / 1024 or None
    row("RSS with 50 locks (higher of online / after)", "≤ 12 MiB", rss50, lambda v: v <= 12,
        "MiB")
    row("idle CPU, 10 locks", "≤ 0.2 %", get("idle_cpu_percent"), lambda v: v <= 0.2, "%")
    row("start-up to `online`", "≤ 200 ms", get("startup_ms"), lambda v: v <= 200, "ms")
    row("health answer while retention trims (slowest; issue 12)", "≤ 50 ms",
        get("retention_health_max_ms"), lambda v: v <= 50, "ms")
    print("\n".join(out))


if __name__ == "__main__":
    main()
