#!/usr/bin/env bash
# TCP baseline for part B of the session transport benchmark (scripts/bench-transport.sh): the
# same workload over Linux TCP, under the same impairment, so its rows can stand beside ours.
#
#   sudo bash scripts/bench-tcp.sh [window_seconds]
#
# window_seconds: the steady window of each run (default 15, like bench-transport.sh). Each run is
# about window + 6 s; there are 4 losses (0, 1, 3, 10 %) per congestion control (see below), so
# about 4 x 20 s per congestion control. Must run as root: it creates network namespaces, TUN
# devices and iptables rules. Needs ip, iptables, gcc, java, mvn, timeout and ss.
#
# Output: stdout gets only the table, a header line then one row per run, in the layout of
# TransportBench's part B (loss, ch1 Mbit/s, ch1 % cap, ch1+2 % cap, p50/p95/p99 latency in ms
# (x RTT), lost msgs) followed by a note; progress goes to stderr. The note: congestion control,
# the device namespace's retransmitted / sent TCP segments over the window (/proc/net/snmp), the
# bulk connection's mss, cwnd (segments) and smoothed RTT at the window's end (ss -ti), and the
# link's queue drops over the whole run (warm-up included) device->app / app->device.
#
# Per run: two fresh network namespaces (app A, device B; fresh so no TCP metrics are cached from
# the run before), joined by bench/tcp/tundelay, a user-space link between two TUN devices with
# the model of io.ivp2p.testnet.ImpairmentProxy: per direction a 20 Mbit/s (2,500,000 B/s) cap
# with a 100 KB drop-tail queue, then 20 ms of delay (RTT 40 ms). Random loss: iptables'
# statistic match, DROP on INPUT in both namespaces, so each direction loses the same share.
#
# Decisions that make the rows comparable, and what still differs:
# - MSS. Our datagrams are 1200 B of UDP payload (1228 B IP packets). The routes get advmss 1188
#   so a full TCP segment is a 1228 B IP packet too (1176 B of payload + 12 B timestamp option):
#   the same packets per second at the cap and the same loss per packet. Plain Ethernet TCP would
#   use MSS 1460 (set TCP_ADVMSS=1460 for that): fewer, larger packets, so fewer losses per byte.
# - Header accounting. The UDP proxy charges UDP payloads to its cap and queue; tundelay charges IP
#   length - 28 (the IPv4 + UDP header it would not have seen). A full segment is charged 1200,
#   like a full datagram; of it 1176 is application payload here against 1141 for our transport.
# - Where loss happens. The proxy drops before its queue; here the drop is on INPUT at the
#   receiver, after the queue, so a lost packet has used the cap. At loss p the link carries at
#   most (1 - p) x cap of delivered packets: 90 % of the cap at 10 %. It cannot go before the
#   queue with iptables in these namespaces: a DROP on the sender's OUTPUT path is reported to the
#   local TCP stack (the send fails and TCP retries it at once), so it would not act as loss.
# - Congestion control. Rows for cubic (Linux's default) and bbr where available, plus the
#   namespace's default if it is neither (new namespaces inherit the host's default). TCP_CC="..."
#   picks others. Set per route (congctl, see setup_side); the note shows what ss reported for the
#   bulk connection. Linux TCP paces by itself where the algorithm asks for it (BBR; no fq here).
# - Two JVMs and tundelay share the machine; the proxy in TransportBench shares its one JVM.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

window=${1:-15}
if ! [[ "$window" =~ ^[0-9]+$ ]] || ((window < 1 || window > 600)); then
  echo "usage: bash scripts/bench-tcp.sh [window_seconds 1..600]" >&2
  exit 2
fi

die() {
  echo "bench-tcp: $*" >&2
  exit 1
}
say() {
  echo "bench-tcp: $*" >&2
}

if ((EUID != 0)); then
  die "must run as root (network namespaces, TUN devices, iptables): sudo bash scripts/bench-tcp.sh $*"
fi
if ! command -v iptables >/dev/null 2>&1; then
  die "iptables is missing; install it with: apt-get install iptables"
fi
for tool in ip gcc java mvn timeout ss; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing"
done
[[ -c /dev/net/tun ]] || die "/dev/net/tun is missing (modprobe tun)"

# The figures of TransportBench's part B.
rate=2500000
queue=100000
delay_us=20000
port=5001
advmss=${TCP_ADVMSS:-1188}
app_ip=192.0.2.1 # documentation addresses (RFC 5737)
device_ip=192.0.2.2
# Timeouts: each Java process may wait 30 s for its connections, then warm-up 3 s + window + grace
# 1 s + 4 s of margins, plus JVM start; tundelay outlives both.
java_timeout=$((window + 45))
link_timeout=$((window + 60))
# Two JVMs and tundelay on what may be 2 cores: small heaps, a single-threaded collector.
java_opts=(-XX:+UseSerialGC -Xms64m -Xmx256m)

work=$(mktemp -d /tmp/ivp2p-bench-tcp.XXXXXX)
ns_app="ivp2p-tcp-a-$$"
ns_device="ivp2p-tcp-b-$$"
dev_app="ivtcpa$$" # at most 15 characters: 6 + a PID of at most 7 digits
dev_device="ivtcpb$$"
ns_probe="ivp2p-tcp-p-$$"
# PIDs this script started and has not reaped yet: the only processes it ever signals.
link_pid=""
device_pid=""
app_pid=""

# Whether a child of this script is still running: not gone and not a zombie waiting for wait
# (kill -0 succeeds on a zombie).
running() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) } # the state letter follows the command name in parentheses
  [[ "${stat:0:1}" != Z ]]
}

# TERM, up to 5 s to exit, then KILL; then reaped. Only ever given PIDs of this script's children.
# With "group": the child is timeout(1), which leads a process group of its own with the JVM in
# it; the group is signalled, so the JVM goes too even if timeout itself is already gone. That is
# safe while the child is not reaped: its number cannot be reused before.
stop_pid() {
  local pid=$1 target=$1
  [[ -n "$pid" ]] || return 0
  if [[ "${2:-}" == group ]]; then
    target="-$pid"
  fi
  kill -TERM -- "$target" 2>/dev/null || true
  for _ in $(seq 50); do
    running "$pid" || break
    sleep 0.1
  done
  kill -KILL -- "$target" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Waits for a child started through timeout(1) and returns its exit status. Before reaping it,
# kills what is left of its process group (a JVM whose timeout was killed; normally nothing).
# Polls rather than blocking in wait, so INT and TERM reach the trap at once.
finish_group() {
  local pid=$1
  while running "$pid"; do
    sleep 0.2
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid"
}

teardown() {
  stop_pid "$app_pid" group
  app_pid=""
  stop_pid "$device_pid" group
  device_pid=""
  stop_pid "$link_pid" # its devices go with it
  link_pid=""
  local ns
  for ns in "$ns_app" "$ns_device" "$ns_probe"; do
    if [[ -e "/run/netns/$ns" ]]; then
      ip netns del "$ns" 2>/dev/null || say "could not delete namespace $ns"
    fi
  done
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  teardown
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Build: tundelay, then the Java test sources (the bench classes need nothing beyond the JDK, but
# the classpath is the module's, as in bench-transport.sh).
gcc -O2 -Wall -Wextra -Werror -o "$work/tundelay" bench/tcp/tundelay.c
target="$root/java/transport/target"
mvn -q -B -ntp -pl java/transport -am test-compile >&2
mvn -q -B -ntp -pl java/transport dependency:build-classpath -Dmdep.outputFile="$target/bench-classpath.txt" >&2
classpath="$target/test-classes:$target/classes:$(cat "$target/bench-classpath.txt")"

# shellcheck source=bench-lib.sh
source "$root/scripts/bench-lib.sh"
bench_run_metadata scripts/bench-tcp.sh "$@" >&2 # sets java_bin; its lines are progress here

# Congestion control: what a new namespace defaults to (it inherits the host's), and which of
# cubic and bbr exist (a route's congctl loads the module of an algorithm not loaded yet, so a
# failed probe route means the algorithm is not there).
ip netns add "$ns_probe"
default_cc=$(ip netns exec "$ns_probe" cat /proc/sys/net/ipv4/tcp_congestion_control)
ip -n "$ns_probe" link set lo up
if [[ -n "${TCP_CC:-}" ]]; then
  read -r -a ccs <<<"$TCP_CC"
else
  ccs=()
  for cc in cubic bbr; do
    if ip -n "$ns_probe" route add 127.0.0.9/32 dev lo congctl "$cc" >/dev/null 2>&1; then
      ccs+=("$cc")
      ip -n "$ns_probe" route del 127.0.0.9/32 dev lo
    fi
  done
  if [[ " ${ccs[*]} " != *" $default_cc "* ]]; then
    ccs=("$default_cc" "${ccs[@]}")
  fi
fi
ip netns del "$ns_probe"

if [[ "$advmss" == 1460 ]]; then
  mss_text="MSS 1460 (no clamp; 1448 B payload + 12 B timestamps per full segment)"
else
  mss_text="advmss $advmss (full segments: $((advmss - 12)) B payload + 12 B timestamps = $((advmss + 40)) B IP packets, charged $((advmss + 12)) B; a full datagram of ours is charged 1200 B)"
fi
printf 'TCP baseline (scripts/bench-tcp.sh): device -> app bulk on one TCP connection and 100 messages/s of 1024 B on another (TCP_NODELAY); %s; %d s warm-up, %d s window, 1 s grace; link bench/tcp/tundelay: %d Mbit/s cap each way, %d KB drop-tail queue (charged IP length - 28 B), %d ms each way (RTT %d ms); random loss: iptables statistic DROP on INPUT in each namespace (after the queue); congestion control per route (congctl): %s (new namespaces default to %s); kernel %s; note: cc, device retrans/sent segments in the window, bulk mss/cwnd/srtt at the window end, link queue drops whole run device>app/app>device\n' \
  "$mss_text" 3 "$window" $((rate * 8 / 1000000)) $((queue / 1000)) $((delay_us / 1000)) $((2 * delay_us / 1000)) \
  "${ccs[*]}" "$default_cc" "$(uname -r)"

wait_for_link() {
  local dev
  for _ in $(seq 50); do
    if ip link show dev "$dev_app" >/dev/null 2>&1 && ip link show dev "$dev_device" >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$link_pid" 2>/dev/null || break
    sleep 0.1
  done
  for dev in "$dev_app" "$dev_device"; do
    ip link show dev "$dev" >/dev/null 2>&1 || die "tundelay did not create $dev: $(cat "$work/link.err")"
  done
}

# One side: the device moved into its namespace (tundelay's fd stays attached), addressed
# point-to-point, the congestion control set and the random loss rule added.
setup_side() {
  local ns=$1 dev=$2 ip_self=$3 ip_peer=$4 cc=$5 loss=$6
  ip link set "$dev" netns "$ns"
  ip -n "$ns" link show dev "$dev" >/dev/null || die "$dev did not move into $ns"
  # No IPv6 on the link: no autoconfiguration or MLD packets beside the benchmark's.
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$ip_self" peer "$ip_peer" dev "$dev"
  ip -n "$ns" link set "$dev" mtu 1500 up
  # The route to the peer carries the congestion control (congctl: used by connect() and by
  # accepted connections alike) and, unless 1460, the MSS: advmss is what this side announces,
  # so it sizes the segments the peer sends to it. A per-route congctl rather than the
  # namespace's sysctl net.ipv4.tcp_congestion_control, because outside the initial namespace
  # that sysctl only takes what net.ipv4.tcp_allowed_congestion_control (host-wide) lists (EPERM
  # for cubic on a host whose default is bbr), and this script leaves host settings alone.
  local route=("$ip_peer/32" dev "$dev" proto kernel scope link src "$ip_self" congctl "$cc")
  if [[ "$advmss" != 1460 ]]; then
    route+=(advmss "$advmss")
  fi
  ip -n "$ns" route replace "${route[@]}" || die "cannot set congestion control $cc on the route in $ns"
  if [[ "$loss" != 0 ]]; then
    ip netns exec "$ns" iptables -w -A INPUT -i "$dev" -m statistic --mode random --probability "$loss" -j DROP ||
      die "iptables statistic match failed in $ns (is xt_statistic available?)"
  fi
}

# The link's counter for one direction from tundelay's report, e.g. field queue_dropped of a>b.
link_count() {
  local n
  n=$(sed -n "s/^tundelay $1 .* $2=\([0-9]*\).*/\1/p" "$work/link.out")
  echo "${n:-0}"
}

failed=0
run=0
for cc in "${ccs[@]}"; do
  for loss in 0 0.01 0.03 0.10; do
    run=$((run + 1))
    say "run $run: $cc, loss $loss, window $window s"
    ip netns add "$ns_app"
    ip netns add "$ns_device"
    "$work/tundelay" "$dev_app" "$dev_device" "$rate" "$queue" "$delay_us" "$link_timeout" \
      >"$work/link.out" 2>"$work/link.err" &
    link_pid=$!
    wait_for_link
    setup_side "$ns_app" "$dev_app" "$app_ip" "$device_ip" "$cc" "$loss"
    setup_side "$ns_device" "$dev_device" "$device_ip" "$app_ip" "$cc" "$loss"

    if command -v ping >/dev/null 2>&1; then
      # The link works through the moved devices and has its 40 ms RTT (progress only, not a row).
      rtt=$(ip netns exec "$ns_app" ping -q -n -c 3 -i 0.2 -W 2 "$device_ip" 2>&1 | tail -n 2 | paste -sd ';' -) || true
      say "ping $device_ip from $ns_app: $rtt"
    fi
    stats="$work/stats-$run"
    ip netns exec "$ns_device" timeout -k 5 "$java_timeout" "$java_bin" "${java_opts[@]}" -cp "$classpath" \
      io.ivp2p.bench.tcp.TcpBenchDevice "$device_ip" "$port" "$window" "$stats" >&2 &
    device_pid=$!
    ip netns exec "$ns_app" timeout -k 5 "$java_timeout" "$java_bin" "${java_opts[@]}" -cp "$classpath" \
      io.ivp2p.bench.tcp.TcpBenchApp "$device_ip" "$port" "$window" "$stats" "$loss" "$cc" >"$work/row" &
    app_pid=$!
    status=0
    finish_group "$app_pid" || status=$?
    app_pid=""
    if ((status != 0)) || [[ ! -s "$work/row" ]]; then
      die "the app failed in run $run ($cc, loss $loss): exit status $status" # the trap stops the rest
    fi
    device_status=0
    finish_group "$device_pid" || device_status=$?
    device_pid=""
    ((device_status == 0)) || say "the device exited with status $device_status"
    running "$link_pid" || die "tundelay stopped before the end of run $run: $(cat "$work/link.err")"
    stop_pid "$link_pid"
    link_pid=""
    cat "$work/link.err" >&2
    ip netns del "$ns_app"
    ip netns del "$ns_device"

    down="$dev_device>$dev_app"
    up="$dev_app>$dev_device"
    extra=""
    for field in ring_full oversize write_errors; do
      n=$(($(link_count "$down" "$field") + $(link_count "$up" "$field")))
      if ((n > 0)); then
        extra="$extra; link $field $n"
        failed=1
      fi
    done
    printf '%s; queue drops %s/%s%s\n' "$(cat "$work/row")" "$(link_count "$down" queue_dropped)" \
      "$(link_count "$up" queue_dropped)" "$extra"
  done
done
if ((failed)); then
  say "tundelay lost packets other than by its queue (see the notes): ring full or packet too large (its sizes are too small) or write errors (a device down): the rows are not valid"
  exit 1
fi
