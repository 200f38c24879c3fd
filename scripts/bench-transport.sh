#!/usr/bin/env bash
# The session transport benchmark: A and B are io.ivp2p.bench.TransportBench
# (transport test sources): goodput and CPU of encrypted sessions on clean
# loopback next to bare DTLS records over the same sockets, then goodput and
# message latency through the user-space impairment proxy (20 Mbit/s, 40 ms
# RTT, 0-10 % loss) next to the targets. C: KCP (kcp-netty) through the same
# proxy (io.ivp2p.bench.kcp.KcpBench, called by TransportBench). D: Linux TCP
# under the same cap, queue, delay and loss between two network namespaces
# (scripts/bench-tcp.sh; needs root and iptables, else D says it was skipped).
# Not a test: nothing fails on speed.
#
# Builds the transport module and its tests (Maven), runs the benchmark, prints
# the table and rewrites bench/RESULTS-transport.md with the command, date,
# commit, machine and table.
#
#   bash scripts/bench-transport.sh [window_seconds]
#
# window_seconds: the steady window of each impaired run (default 15). Takes
# about 12 minutes on 2 cores (A 1, B 1.5, C 3, D 3 per congestion control).
# Works from any checkout of the repo.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
results="$root/bench/RESULTS-transport.md"
target="$root/java/transport/target"
cd "$root"

mvn -q -B -ntp -pl java/transport -am test-compile
mvn -q -B -ntp -pl java/transport dependency:build-classpath -Dmdep.outputFile="$target/bench-classpath.txt"
classpath="$target/classes:$target/test-classes:$(cat "$target/bench-classpath.txt")"

# shellcheck source=bench-lib.sh
source "$root/scripts/bench-lib.sh"
bench_run_metadata scripts/bench-transport.sh "$@"
table=$(mktemp)
trap 'rm -f "$table"' EXIT
"$java_bin" -cp "$classpath" io.ivp2p.bench.TransportBench "$@" | tee "$table"

# D. TCP: root for namespaces, TUN devices and iptables rules.
{
  echo
  echo "D. Linux TCP between two network namespaces joined by bench/tcp/tundelay (the proxy's model: cap and"
  echo "   100 KB drop-tail queue, then 20 ms each way), random loss by iptables statistic DROP (see scripts/bench-tcp.sh"
  echo "   for what differs from B). Columns as in B; note: congestion control, retransmitted/sent, ss, queue drops"
} | tee -a "$table"
if [[ $(id -u) -eq 0 ]] && command -v iptables >/dev/null 2>&1; then
  bash "$root/scripts/bench-tcp.sh" "$@" | tee -a "$table"
else
  echo "   skipped: needs root and iptables (apt-get install iptables)" | tee -a "$table"
fi

{
  cat <<'HEAD'
# Session transport benchmark: latest results

What the encrypted session transport (io.ivp2p.path.SessionEndpoint: DTLS 1.2 records, sessions of
8 channels, BBR and pacing) delivers over real UDP sockets, each figure next to a baseline or a
target measured or printed in the same run (java/transport/src/test/java/io/ivp2p/bench/TransportBench.java).
A benchmark, not a test: nothing fails on speed. Everything runs in one JVM on loopback: device,
app and the impairment proxy share the machine's CPUs (see the machine line and the CPU figures).
This file is rewritten by every run of the command below.

How to read this:

- A. Clean loopback, device -> app bulk on channel 1. Goodput: application bytes read per second.
  CPU s/GB: process CPU time (com.sun.management.OperatingSystemMXBean#getProcessCpuTime: every
  thread of both ends, kernel time included) per GB delivered. "vs raw": goodput over the
  baseline's, two bare DtlsAssociations with the sessions' DTLS settings (AES-128-GCM through JCA,
  4-byte connection IDs) over two loopback UDP sockets, one thread sealing full 1200-byte-datagram
  records unpaced and one receiving, opening and counting them: what DTLS plus the UDP system calls
  cost here, the ceiling of a transport that does nothing else. Kernel drops are counted (so far
  the receiver has kept up). "CPU % of the machine" tells whether a row was CPU-bound.
- B. Through io.ivp2p.testnet.ImpairmentProxy (user space, one timer thread): 20 Mbit/s and a
  100 KB drop-tail queue each way, 20 ms each way, random loss each way. "% cap" is of 2.5 MB/s.
  The ceiling line: record, packet and frame headers plus channel 2's 100 KB/s leave channel 1 at
  most about 91 % of the cap, so the 90 % target leaves almost no slack. Latency: from just before
  `write` on the device to reading the message's last byte on the app, one clock; the 20 ms one-way
  delay alone is 0.5 RTT. A 15 s window holds about 1,500 messages: p99 is the 15th worst, and
  varies by several ms between runs.
- BBR mode (the device's, sampled every 100 ms) explains most of the variation between runs of the
  same row: see point 4 below.

What limited these figures (2026-11-21). The first run (commit 43ed4b6: 1 session 191 Mbit/s,
67 % of the cap and p99 2.74 RTT at 3 % loss, BBR stuck in STARTUP in some rows) led to three fixes
in commit "Transport benchmark; fixes it found": a channel held back by the peer's window is no
longer reported to BBR as app-limited; the pacer's burst is the BBR draft's send quantum (rate x 1
ms up to 64 KB above 24 Mbit/s, §4.2.2) instead of 2 packets; channel windows are announced and
default to 1 MiB instead of 256 KiB. What is left, diagnosed with experiments outside this script
(perf, per-thread CPU and context switches, private copies with one constant changed); check it
against the table above before relying on it:

1. A (one session about 0.3x raw, target 0.5x): CPU. Both ends and the kernel use 90 % of the two
   cores. Most of it is thread hand-offs, about 5 context switches per data packet: each received
   datagram is posted from the UDP thread to the event loop (SessionEndpoint's UdpSocket consumer),
   each SessionHandle read and write hops onto the loop and back, and the reader is woken for each
   packet. Next step: receive on the event loop itself and batch the hand-offs.
2. B goodput (about 82 % of the cap at 3 % loss against a 91 % ceiling, target 90 %): not yet
   diagnosed. BBR stays in PROBE_BW and the proxy's queue drops are near 0, so the sender is not
   overrunning the path; candidates are BBR's response to loss episodes (packet conservation for a
   round) and the round trip a lost packet parks later data in reassembly.
3. B p99 latency of the 1 KB messages at 3 % loss (target 2.5 RTT) varies between runs: 1.9 and
   2.9 RTT in the two runs after the fixes (it is the 15th worst of about 1,500 samples). The
   tail is set by lost messages: a message whose packet is lost waits for loss detection (9/8 RTT after a later packet is acknowledged, or three
   packets later) and one more trip. Faster recovery for small latency-sensitive channels (an
   immediate resend of the tail, or redundancy) is the next step.
4. Not the limit: CPU in B (the whole process used 12-18 % of the machine), the proxy's timer
   (sub-millisecond against 20 ms delays and 0.5 ms per datagram at the cap), and PROBE_RTT
   (1-2 % of a window).
HEAD
  echo
  echo "Command: \`$command\`"
  echo
  echo "Date: $date"
  echo
  echo "Source: $commit"
  echo
  echo "Machine: $machine"
  echo
  echo '```text'
  cat "$table"
  echo '```'
} >"$results"
echo "wrote $results"
