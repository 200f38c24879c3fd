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
8 channels, BBR and pacing) delivers over real UDP sockets, each figure next to a baseline, a
competitor or a target measured or printed in the same run (A-C:
java/transport/src/test/java/io/ivp2p/bench/TransportBench.java and bench/kcp/KcpBench.java; D:
scripts/bench-tcp.sh). A benchmark, not a test: nothing fails on speed. A-C run in one JVM on
loopback: device, app and the impairment proxy share the machine's CPUs (see the machine line and
the CPU figures). This file is rewritten by every run of the command below.

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
  100 KB drop-tail queue each way, 20 ms each way, random loss each way (before the queue). "% cap"
  is of 2.5 MB/s. The ceiling line: record, packet and frame headers plus channel 2's 100 KB/s
  leave channel 1 at most about 91 % of the cap, so the 90 % target leaves almost no slack.
  Latency: from just before `write` on the device to reading the message's last byte on the app,
  one clock; the 20 ms one-way delay alone is 0.5 RTT. A 15 s window holds about 1,500 messages:
  p99 is the 15th worst, and varies by several ms between runs.
- C. KCP through the same proxy, the same workload and measurement, one KCP conversation per
  channel. "turbo" is the KCP README's fastest mode (no congestion window); "turbo+cwnd" the same
  with KCP's congestion window on. No encryption: 98 % of a datagram is payload against our 95 %.
- D. Linux TCP (two JVMs in two network namespaces, one TCP connection per channel) through
  bench/tcp/tundelay, a TUN link with the proxy's cap, queue and delay; loss by iptables
  statistic DROP on INPUT, i.e. after the queue (a dropped packet has used the cap: at loss p at
  most (1 - p) of the cap arrives); MSS clamped so a full segment is a 1228-byte IP packet like our
  datagrams (1176 B payload). Rows for cubic (Linux's default) and bbr.

What changed the figures, and what limits them (2026-11-21). The first results (commit 586b9c1)
had one session at 674 Mbit/s (0.32x raw) and the 99th percentile of the 1 KB messages at 3.2
RTT at 0 % loss. Two commits since, each measured before and after outside this script:

- 18e7425: the UDP receive thread processes datagrams in the event loop itself (a lock, no
  hand-off), in batches of up to 32, and wakes a reader once per batch; application reads and
  writes run in the loop on their own thread; a partial write now registers a blocked writer
  (writers had been woken only by SessionHandle's 5 ms polling) and is woken when an eighth of
  the buffer is free rather than at every ACK. Context switches during a transfer fell from about
  1.4 to 0.3 per data packet, CPU from about 21 to 14 s/GB; one session now reaches 0.55-0.6x raw.
- 945e47e: BBR's PROBE_RTT holds half a BDP in flight (BBRv2) instead of 4 packets, which had
  held channel 2 to 4 packets per round trip for 200 ms every 10 s: p99 at 0 % loss from 3.2 to
  about 1.4 RTT.

What is left (check it against the tables below before relying on it):

1. B goodput at 3 % loss, about 82 % of the cap against a 91 % ceiling: the 90 % target is
   MISSED. It is not BBR as such: Linux TCP with bbr in D reaches about 89 % of the cap at 3 % loss
   (its ceiling there is about 91 %: 98 % payload share, less channel 2, less the loss that
   comes after its queue). Ours loses about 7 points against its ceiling at 0 % loss already
   (about 90 % against 91 % there) and about 9 at 1-10 %, so the loss is paid once rather than per
   loss. One idea tried and not kept: pacing at BtlBw / (1 - loss) for loss judged random gave +1
   point in one run and a worse tail at 10 % loss. Not yet diagnosed; candidates: our recovery
   episode, which lasts until a round trip without loss (at 3 % loss and about 80 packets per
   round, nearly always) and so keeps BBR's round-one packet conservation and prior-cwnd logic
   busy; and the round robin giving channel 2 a packet slot ahead of bulk retransmissions. Next
   step: a per-round trace (cwnd, in flight, pacing rate, delivery rate) beside Linux's (ss -ti).
2. A: one session is still CPU-bound (about 90 % of the two cores, both ends and the kernel in one
   process). The baseline does one system call per datagram each way and nothing else; a session
   adds ACK datagrams (one per batch received) and its bookkeeping. 8 sessions share one device
   endpoint, and so one loop lock: their sum is no higher than one session's.
3. B p99 of the 1 KB messages at 3 % loss is the 15th worst of about 1,500 samples and varies
   between runs (1.8-3.5 RTT across the runs of 2026-11-21 before 945e47e, 1.8-1.9 after). A
   message whose packet is lost waits for loss detection (9/8 RTT after a later packet is
   acknowledged, or three packets later) plus one more trip: at 10 % loss that is the p99.
4. C, KCP: turbo mode resends 39-58 % of its segments on timeout even without loss (KCP's RTO is
   srtt + max(interval, 4 rttvar), sampled at 10 ms granularity, with no pacing, so a window sent
   back to back overflows the 100 KB queue: 9 % queue drops at 0 % loss); that caps it near 55 %
   of the cap. With its congestion window on it collapses: every timeout sets cwnd to 1 segment
   and it grows by at most one per ACK datagram, so bulk gets about 1 Mbit/s and the message
   channel's queue grows without bound (seconds of latency, "lost" messages).
5. D, TCP: cubic collapses with random loss, as the Mathis formula says (13 % of the cap at 1 %,
   6 % at 3 %); bbr stays near its ceiling. What differs from B besides the loss placement: two
   connections with two congestion controllers competing at the queue, no encryption, 1176-byte
   payloads, and two JVMs instead of one.
HEAD
  bench_run_record "$table"
} >"$results"
echo "wrote $results"
