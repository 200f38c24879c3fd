/*
 * tundelay: a user-space link between two TUN devices, for the TCP baseline of the transport
 * benchmark (scripts/bench-tcp.sh). This kernel has no netem, so the rate cap, the queue and the
 * delay that io.ivp2p.testnet.ImpairmentProxy applies to UDP datagrams are applied here to IP
 * packets, after the same model (ImpairmentProxy.Direction), independently in each direction:
 *
 *   a drop-tail queue of QUEUE_BYTES drained at RATE bytes/s, then a fixed one-way delay.
 *
 * An arriving packet is dropped if the bytes still queued (not yet "serialised" at the rate) plus
 * its own charge exceed QUEUE_BYTES; otherwise it leaves the queue when the bytes ahead of it and
 * its own have drained at the rate, and is written to the other device DELAY_US after that.
 *
 * What a packet is charged: its IP length minus 28 bytes. The UDP proxy sees UDP payloads only,
 * so the IPv4 (20) and UDP (8) headers of its datagrams are never charged to its cap or queue;
 * taking 28 bytes off every IP packet here charges a TCP segment for the same kind of bytes, i.e.
 * everything above where a UDP payload would start: the TCP header beyond 8 bytes (12, or 24
 * with the timestamp option) and the TCP payload. Both benchmarks then cap the same quantity:
 * "bytes the transport put on the wire above IP+UDP". (IPv4 only: that is all the script uses.)
 *
 * Random loss is not done here: the script drops with iptables' statistic match inside each
 * network namespace, which is what the benchmark's issue asked for.
 *
 * Usage: tundelay DEV_A DEV_B RATE_BYTES_PER_S QUEUE_BYTES DELAY_US MAX_SECONDS
 *
 * Creates both TUN devices (IFF_TUN | IFF_NO_PI, not persistent: they disappear when this process
 * exits), forwards until SIGTERM, SIGINT or MAX_SECONDS, whichever comes first, then prints one
 * line of counters per direction on stdout. A RATE of 0 means no cap (then the queue is unused).
 * The devices may be moved into other network namespaces while it runs: the file descriptors stay
 * attached to them.
 *
 * One thread, ppoll() (poll with a nanosecond timeout and an atomic signal mask), CLOCK_MONOTONIC,
 * and one bounded ring of pending packets per direction. Packets of one direction leave in arrival
 * order and their due times never decrease (queue exit time + a constant), so a FIFO is enough.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

/* Bytes of an IPv4 + UDP header: what the UDP proxy never sees, so never charged here either. */
#define UNCHARGED_HEADER 28
/* A slot holds one packet; the script sets MTU 1500, so larger packets are not expected (counted). */
#define SLOT_BYTES 2048
/*
 * Pending packets per direction. At 2.5 MB/s with a 100 KB queue and 20 ms delay about 125 full
 * packets are pending at most; small packets (ACKs are charged 12-24 bytes) can be more numerous,
 * so the ring is generous. A packet that finds the ring full is dropped and counted (ring_full).
 */
#define RING_SLOTS 16384
/* Packets read from one device per wake-up before looking at the other device and the timers. */
#define READ_BURST 64

struct slot {
    uint64_t due_ns;
    uint32_t len;
    unsigned char data[SLOT_BYTES];
};

struct direction {
    char name[2 * IFNAMSIZ + 2];
    int in_fd;
    int out_fd;
    struct slot *ring;
    uint32_t head;
    uint32_t count;
    uint64_t queue_free_at_ns; /* when the last queued byte will have drained at the rate */
    uint64_t received;
    uint64_t forwarded;
    uint64_t forwarded_bytes;
    uint64_t queue_dropped;
    uint64_t ring_full;
    uint64_t oversize;
    uint64_t write_errors;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int parse_u64(const char *s, const char *what, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-') {
        fprintf(stderr, "tundelay: bad %s: %s\n", what, s);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

static int open_tun(const char *name)
{
    if (strlen(name) >= IFNAMSIZ) {
        fprintf(stderr, "tundelay: device name too long: %s\n", name);
        return -1;
    }
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        perror("tundelay: open /dev/net/tun");
        return -1;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    memcpy(ifr.ifr_name, name, strlen(name));
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        fprintf(stderr, "tundelay: TUNSETIFF %s: %s\n", name, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* The queue model of ImpairmentProxy.Direction.offer, minus its random loss. */
static void offer(struct direction *d, const unsigned char *pkt, size_t len, uint64_t rate, uint64_t queue,
                  uint64_t delay_ns)
{
    d->received++;
    if (len > SLOT_BYTES) {
        d->oversize++;
        return;
    }
    if (d->count == RING_SLOTS) {
        d->ring_full++;
        return;
    }
    uint64_t now = now_ns();
    uint64_t exit_ns = now;
    if (rate > 0) {
        uint64_t charge = len > UNCHARGED_HEADER ? len - UNCHARGED_HEADER : 0;
        uint64_t start = d->queue_free_at_ns > now ? d->queue_free_at_ns : now;
        /* Bytes still queued ahead of this packet, truncated like the proxy's (long) cast. */
        uint64_t backlog = (uint64_t)((double)(start - now) / 1e9 * (double)rate);
        if (backlog + charge > queue) {
            d->queue_dropped++;
            return;
        }
        d->queue_free_at_ns = start + charge * 1000000000u / rate;
        exit_ns = d->queue_free_at_ns;
    }
    struct slot *s = &d->ring[(d->head + d->count) % RING_SLOTS];
    s->due_ns = exit_ns + delay_ns;
    s->len = (uint32_t)len;
    memcpy(s->data, pkt, len);
    d->count++;
}

/* Writes every packet that is due; returns the due time of the next one, or UINT64_MAX. */
static uint64_t flush(struct direction *d, uint64_t now)
{
    while (d->count > 0) {
        struct slot *s = &d->ring[d->head];
        if (s->due_ns > now) {
            return s->due_ns;
        }
        ssize_t n = write(d->out_fd, s->data, s->len);
        if (n == (ssize_t)s->len) {
            d->forwarded++;
            d->forwarded_bytes += s->len;
        } else {
            d->write_errors++; /* e.g. the device is down: the packet is lost, like a send error */
        }
        d->head = (d->head + 1) % RING_SLOTS;
        d->count--;
    }
    return UINT64_MAX;
}

/* Reads up to READ_BURST packets; returns -1 if the device is gone (fd no longer usable). */
static int drain(struct direction *d, unsigned char *buf, size_t cap, uint64_t rate, uint64_t queue,
                 uint64_t delay_ns)
{
    for (int i = 0; i < READ_BURST; i++) {
        ssize_t n = read(d->in_fd, buf, cap);
        if (n > 0) {
            offer(d, buf, (size_t)n, rate, queue, delay_ns);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            return 0;
        }
        if (n < 0) {
            fprintf(stderr, "tundelay: read %s: %s\n", d->name, strerror(errno));
        }
        return -1;
    }
    return 0;
}

static void report(const struct direction *d)
{
    printf("tundelay %s received=%" PRIu64 " forwarded=%" PRIu64 " forwarded_bytes=%" PRIu64
           " queue_dropped=%" PRIu64 " ring_full=%" PRIu64 " oversize=%" PRIu64 " write_errors=%" PRIu64
           " pending=%" PRIu32 "\n",
           d->name, d->received, d->forwarded, d->forwarded_bytes, d->queue_dropped, d->ring_full, d->oversize,
           d->write_errors, d->count);
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: %s DEV_A DEV_B RATE_BYTES_PER_S QUEUE_BYTES DELAY_US MAX_SECONDS\n", argv[0]);
        return 2;
    }
    uint64_t rate, queue, delay_us, max_seconds;
    if (parse_u64(argv[3], "rate", &rate) || parse_u64(argv[4], "queue bytes", &queue)
        || parse_u64(argv[5], "delay", &delay_us) || parse_u64(argv[6], "max seconds", &max_seconds)) {
        return 2;
    }
    if (max_seconds == 0 || max_seconds > 86400 || delay_us > 10000000u) {
        fprintf(stderr, "tundelay: max seconds must be 1..86400 and delay at most 10 s\n");
        return 2;
    }
    uint64_t delay_ns = delay_us * 1000u;

    /*
     * SIGTERM/SIGINT are blocked except inside ppoll(), so a signal can never slip in between the
     * check of stop_signal and going to sleep.
     */
    sigset_t block, wait_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    if (sigprocmask(SIG_BLOCK, &block, &wait_mask) < 0) {
        perror("tundelay: sigprocmask");
        return 1;
    }
    sigdelset(&wait_mask, SIGTERM);
    sigdelset(&wait_mask, SIGINT);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    /* Wake-ups on time: the default 50 us timer slack is a tenth of a full packet's 480 us at the cap. */
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);

    int fd_a = open_tun(argv[1]);
    if (fd_a < 0) {
        return 1;
    }
    int fd_b = open_tun(argv[2]);
    if (fd_b < 0) {
        close(fd_a);
        return 1;
    }
    struct direction dirs[2];
    memset(dirs, 0, sizeof dirs);
    snprintf(dirs[0].name, sizeof dirs[0].name, "%s>%s", argv[1], argv[2]);
    snprintf(dirs[1].name, sizeof dirs[1].name, "%s>%s", argv[2], argv[1]);
    dirs[0].in_fd = fd_a;
    dirs[0].out_fd = fd_b;
    dirs[1].in_fd = fd_b;
    dirs[1].out_fd = fd_a;
    /* calloc: the pages of slots never used are never touched. */
    dirs[0].ring = calloc(RING_SLOTS, sizeof(struct slot));
    dirs[1].ring = calloc(RING_SLOTS, sizeof(struct slot));
    static unsigned char buf[65536];
    if (dirs[0].ring == NULL || dirs[1].ring == NULL) {
        fprintf(stderr, "tundelay: out of memory\n");
        return 1;
    }
    fprintf(stderr, "tundelay: %s and %s up; rate %" PRIu64 " B/s, queue %" PRIu64 " B, delay %" PRIu64
            " us, at most %" PRIu64 " s\n", argv[1], argv[2], rate, queue, delay_us, max_seconds);

    uint64_t deadline = now_ns() + max_seconds * 1000000000u;
    const char *why = "max run time";
    int status = 0;
    for (;;) {
        if (stop_signal) {
            why = stop_signal == SIGTERM ? "SIGTERM" : "SIGINT";
            break;
        }
        uint64_t now = now_ns();
        if (now >= deadline) {
            break;
        }
        uint64_t next = deadline;
        for (int i = 0; i < 2; i++) {
            uint64_t due = flush(&dirs[i], now);
            if (due < next) {
                next = due;
            }
        }
        now = now_ns();
        uint64_t wait = next > now ? next - now : 0;
        struct timespec timeout = {(time_t)(wait / 1000000000u), (long)(wait % 1000000000u)};
        struct pollfd fds[2] = {{fd_a, POLLIN, 0}, {fd_b, POLLIN, 0}};
        int r = ppoll(fds, 2, &timeout, &wait_mask);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("tundelay: ppoll");
            why = "ppoll error";
            status = 1;
            break;
        }
        int gone = 0;
        for (int i = 0; i < 2; i++) {
            if (fds[i].revents & POLLIN) {
                if (drain(&dirs[i], buf, sizeof buf, rate, queue, delay_ns) < 0) {
                    gone = 1;
                }
            } else if (fds[i].revents & (POLLERR | POLLHUP | POLLNVAL)) {
                gone = 1;
            }
        }
        if (gone) {
            why = "a device went away";
            status = 1;
            break;
        }
    }
    fprintf(stderr, "tundelay: stopping (%s)\n", why);
    report(&dirs[0]);
    report(&dirs[1]);
    fflush(stdout);
    close(fd_a);
    close(fd_b);
    free(dirs[0].ring);
    free(dirs[1].ring);
    return status;
}
