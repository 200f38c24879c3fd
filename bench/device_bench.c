/*
 * device_bench - the device side of the device benchmark: firmware linked
 * against libiv_p2p exactly as a camera's is, serving the app-side driver
 * io.ivp2p.app.bench.DeviceBench (java/app test sources). A benchmark, not a
 * test: it measures and asserts nothing. scripts/bench-device.sh builds and
 * runs both and writes bench/RESULTS-device.md.
 *
 * What it does:
 *   - LAN mode on 127.0.0.1 (net_info probe_port/trans_port/local_addr,
 *     device_id "bench_cam"; the access key comes from IVP2P_ACCESS_KEY).
 *   - Streams: params "action=live&kbps=K&fps=F" make send_get_cb produce
 *     F frames a second of K*1000/8/F bytes each (malloc'd, freed through
 *     buf_free_fn). Each frame starts with a 32-byte little-endian header:
 *     magic "IVBF", sequence number, frame length, reserved, the
 *     CLOCK_MONOTONIC time (ns) at which the frame became due, and the time
 *     just before send_get_cb returned it. Like a live camera's encoder ring,
 *     at most KEEP_FRAMES due frames wait: older ones are skipped (counted),
 *     which only happens while polling is paused by WATERMARK_HIGH.
 *   - Commands (command_cb): anything not starting with "bench:" is echoed.
 *     "bench:clock" answers the monotonic time; "bench:watermarks L W H"
 *     calls iv_avt_p2p_set_buf_watermark; "bench:phase-begin NAME SAMPLE"
 *     and "bench:phase-end" delimit a measurement window and answer its
 *     figures (CPU of this whole process from getrusage: every thread, the
 *     embedded JVM's included; frames; skipped frames; watermark events; when
 *     SAMPLE is 1 the send-buffer samples below; VmRSS);
 *     "bench:send-command COUNT WARMUP SIZE" calls iv_avt_p2p_send_command
 *     WARMUP+COUNT times towards the asking app from a firmware thread of its
 *     own and answers every round trip it timed (ns, in order, warm-up first).
 *   - The sampler (only while a phase samples; asleep otherwise): every SAMPLE_NS, the sum of
 *     iv_avt_p2p_get_send_buf over the open streams of each app (by peer
 *     name), keeping each app's maximum, the maximum over all apps together,
 *     and every ENGINE_EVERY samples the engine's allocated session buffer
 *     memory (io.ivp2p.testkit.DeviceBenchProbe through tests-c/jvm_fixture,
 *     like bridge_bench's driver).
 *
 *   device_bench PROBE_PORT TRANS_PORT MAX_SECONDS
 *
 * Prints "ready probe_port=P trans_port=T" once apps can connect (if a port
 * is taken it tries the next pairs), then runs until SIGTERM/SIGINT or
 * MAX_SECONDS, calls iv_avt_p2p_exit and prints "exit rc=N".
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "iv_av.h"
#include "jvm_fixture.h"

#define MAX_STREAMS 64
#define MAX_PEERS 64
#define PEER_LEN 128
#define FRAME_HEADER 32
#define FRAME_MAGIC 0x46425649u /* "IVBF" little-endian */
/* A live camera keeps the newest frames, not all of them. */
#define KEEP_FRAMES 2
#define SAMPLE_NS 1000000L /* get_send_buf sampled every 1 ms */
#define ENGINE_EVERY 20    /* the engine's allocation every 20 ms */
#define PROBE_CLASS "io/ivp2p/testkit/DeviceBenchProbe"
#define REPLY_MAX (256 * 1024)
#define PORT_TRIES 10

struct stream {
    int used; /* under lock */
    char peer[PEER_LEN];
    uint32_t frame_bytes;
    int64_t period_ns;
    /* Pump thread only (the engine polls one stream from one thread). */
    int64_t next_due;
    uint32_t seq;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* Signalled when a sampling phase begins and at the end: an idle sampler sleeps, so that it
 * costs nothing in the CPU windows (which do not sample). */
static pthread_cond_t sampling_changed = PTHREAD_COND_INITIALIZER;
static struct stream streams[MAX_STREAMS];

/* Phase counters: atomics, reset by phase-begin. */
static uint64_t frames_sent, frames_skipped, bytes_taken;
static uint64_t wm_events[IV_AVT_EVENT_P2P_BUTT];

/* Phase state, under lock. */
static struct {
    char name[64];
    int sampling;
    int64_t t0;
    struct rusage ru0;
    char peers[MAX_PEERS][PEER_LEN];
    size_t peer_max[MAX_PEERS];
    int npeers;
    size_t total_max;
    int64_t app_max_at; /* when the largest app sum so far was sampled */
    size_t app_max;
    double total_sum;
    long samples;
    long long engine_max;
    long engine_samples;
    long rss_max_kib;
} phase;

static int running = 1; /* under lock */

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static double cpu_seconds(const struct rusage *a, const struct rusage *b, int user)
{
    const struct timeval *x = user ? &a->ru_utime : &a->ru_stime;
    const struct timeval *y = user ? &b->ru_utime : &b->ru_stime;
    return (double)(y->tv_sec - x->tv_sec) + (double)(y->tv_usec - x->tv_usec) / 1e6;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put_le64(uint8_t *p, uint64_t v)
{
    put_le32(p, (uint32_t)v);
    put_le32(p + 4, (uint32_t)(v >> 32));
}

static void free_buf(uint8_t *buf, size_t size)
{
    (void)size;
    free(buf);
}

/* ---- streams --------------------------------------------------------------- */

static long param(const char *params, const char *key, long dflt)
{
    size_t n = strlen(key);
    const char *p = params;
    while (p != NULL && *p != '\0') {
        if (strncmp(p, key, n) == 0 && p[n] == '=')
            return strtol(p + n + 1, NULL, 10);
        p = strchr(p, '&');
        if (p != NULL)
            p++;
    }
    return dflt;
}

static void *cb_send_init(const char *params, const char *peer)
{
    long kbps = param(params, "kbps", 1000);
    long fps = param(params, "fps", 25);
    int i;
    if (kbps < 1 || kbps > 1000000 || fps < 1 || fps > 1000)
        return NULL;
    pthread_mutex_lock(&lock);
    for (i = 0; i < MAX_STREAMS; i++) {
        struct stream *s = &streams[i];
        if (!s->used) {
            s->used = 1;
            snprintf(s->peer, sizeof s->peer, "%s", peer);
            s->frame_bytes = (uint32_t)(kbps * 1000 / 8 / fps);
            if (s->frame_bytes < FRAME_HEADER)
                s->frame_bytes = FRAME_HEADER;
            s->period_ns = 1000000000LL / fps;
            s->next_due = now_ns();
            s->seq = 0;
            pthread_mutex_unlock(&lock);
            return s;
        }
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

static iv_cm_memory_s cb_send_get(void *handle)
{
    struct stream *s = handle;
    iv_cm_memory_s none = {NULL, 0, NULL};
    iv_cm_memory_s m;
    int64_t now = now_ns();
    int64_t due;
    uint8_t *b;

    if (now < s->next_due)
        return none;
    due = (now - s->next_due) / s->period_ns + 1;
    if (due > KEEP_FRAMES) {
        int64_t skip = due - KEEP_FRAMES;
        s->next_due += skip * s->period_ns;
        s->seq += (uint32_t)skip;
        __atomic_fetch_add(&frames_skipped, (uint64_t)skip, __ATOMIC_RELAXED);
    }
    b = malloc(s->frame_bytes);
    if (b == NULL)
        return none;
    memset(b + FRAME_HEADER, (int)(s->seq & 0xff), s->frame_bytes - FRAME_HEADER);
    put_le32(b, FRAME_MAGIC);
    put_le32(b + 4, s->seq);
    put_le32(b + 8, s->frame_bytes);
    put_le32(b + 12, 0);
    put_le64(b + 16, (uint64_t)s->next_due);
    s->seq++;
    s->next_due += s->period_ns;
    __atomic_fetch_add(&frames_sent, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&bytes_taken, s->frame_bytes, __ATOMIC_RELAXED);
    m.buf = b;
    m.size = s->frame_bytes;
    m.buf_free_fn = free_buf;
    put_le64(b + 24, (uint64_t)now_ns()); /* as late as possible: "when send_get_cb returned it" */
    return m;
}

static int cb_send_stop(void *handle)
{
    struct stream *s = handle;
    pthread_mutex_lock(&lock);
    s->used = 0;
    pthread_mutex_unlock(&lock);
    return 0;
}

static void cb_event(iv_avt_event_e event, void *handle)
{
    (void)handle;
    if ((int)event >= 0 && event < IV_AVT_EVENT_P2P_BUTT)
        __atomic_fetch_add(&wm_events[event], 1, __ATOMIC_RELAXED);
}

/* ---- the sampler ----------------------------------------------------------- */

static void sample_once(long n)
{
    void *handles[MAX_STREAMS];
    char peers[MAX_STREAMS][PEER_LEN];
    size_t bufs[MAX_STREAMS];
    int count = 0, i, j;
    size_t total = 0;
    char out[64];

    pthread_mutex_lock(&lock);
    for (i = 0; i < MAX_STREAMS; i++) {
        if (streams[i].used) {
            handles[count] = &streams[i];
            memcpy(peers[count], streams[i].peer, PEER_LEN);
            count++;
        }
    }
    pthread_mutex_unlock(&lock);
    /* Outside the lock: a stream stopped meanwhile answers 0 (unknown handle). */
    for (i = 0; i < count; i++) {
        bufs[i] = iv_avt_p2p_get_send_buf(handles[i]);
        total += bufs[i];
    }
    pthread_mutex_lock(&lock);
    for (i = 0; i < count; i++) {
        size_t sum = 0;
        int p;
        for (j = 0; j < count; j++)
            if (strcmp(peers[i], peers[j]) == 0)
                sum += bufs[j];
        for (p = 0; p < phase.npeers; p++)
            if (strcmp(phase.peers[p], peers[i]) == 0)
                break;
        if (p == phase.npeers && p < MAX_PEERS) {
            memcpy(phase.peers[p], peers[i], PEER_LEN);
            phase.peer_max[p] = 0;
            phase.npeers++;
        }
        if (p < MAX_PEERS && sum > phase.peer_max[p])
            phase.peer_max[p] = sum;
        if (sum > phase.app_max) {
            phase.app_max = sum;
            phase.app_max_at = now_ns();
        }
    }
    if (total > phase.total_max)
        phase.total_max = total;
    phase.total_sum += (double)total;
    phase.samples++;
    pthread_mutex_unlock(&lock);

    if (n % ENGINE_EVERY == 0 && fixture_call(PROBE_CLASS, "buffered", "", out, sizeof out) == 0) {
        long long v = strtoll(out, NULL, 10);
        pthread_mutex_lock(&lock);
        if (v > phase.engine_max)
            phase.engine_max = v;
        phase.engine_samples++;
        pthread_mutex_unlock(&lock);
    }
    if (n % 100 == 0) {
        long rss = fixture_rss_kib();
        pthread_mutex_lock(&lock);
        if (rss > phase.rss_max_kib)
            phase.rss_max_kib = rss;
        pthread_mutex_unlock(&lock);
    }
}

static void *sampler(void *arg)
{
    struct timespec next;
    long n = 0;
    (void)arg;
    for (;;) {
        int waited = 0;
        pthread_mutex_lock(&lock);
        while (running && !phase.sampling) {
            pthread_cond_wait(&sampling_changed, &lock);
            waited = 1;
        }
        if (!running) {
            pthread_mutex_unlock(&lock);
            return NULL;
        }
        pthread_mutex_unlock(&lock);
        if (waited || n == 0) {
            clock_gettime(CLOCK_MONOTONIC, &next);
            n = 0;
        }
        sample_once(n++);
        next.tv_nsec += SAMPLE_NS;
        if (next.tv_nsec >= 1000000000L) {
            next.tv_nsec -= 1000000000L;
            next.tv_sec++;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    }
}

/* ---- commands -------------------------------------------------------------- */

static iv_cm_memory_s reply_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static iv_cm_memory_s reply_text(const char *fmt, ...)
{
    iv_cm_memory_s m = {NULL, 0, NULL};
    va_list ap;
    char *b = malloc(REPLY_MAX);
    int n;
    if (b == NULL)
        return m;
    va_start(ap, fmt);
    n = vsnprintf(b, REPLY_MAX, fmt, ap);
    va_end(ap);
    m.buf = (uint8_t *)b;
    m.size = n < 0 ? 0 : (size_t)(n < REPLY_MAX ? n : REPLY_MAX - 1);
    m.buf_free_fn = free_buf;
    return m;
}

static iv_cm_memory_s phase_begin(const char *args)
{
    char name[64] = "";
    int sampling = 0;
    if (sscanf(args, "%63s %d", name, &sampling) < 1)
        return reply_text("error=usage");
    pthread_mutex_lock(&lock);
    memset(&phase, 0, sizeof phase);
    snprintf(phase.name, sizeof phase.name, "%s", name);
    phase.engine_max = -1;
    phase.rss_max_kib = fixture_rss_kib();
    __atomic_store_n(&frames_sent, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&frames_skipped, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&bytes_taken, 0, __ATOMIC_RELAXED);
    memset(wm_events, 0, sizeof wm_events);
    getrusage(RUSAGE_SELF, &phase.ru0);
    phase.t0 = now_ns();
    phase.sampling = sampling;
    pthread_cond_signal(&sampling_changed);
    pthread_mutex_unlock(&lock);
    return reply_text("ok phase=%s", name);
}

static iv_cm_memory_s phase_end(void)
{
    struct rusage ru;
    int64_t t1;
    size_t app_max = 0;
    int p;
    char peer_list[1024] = "";
    size_t used = 0;
    long rss = fixture_rss_kib();
    iv_cm_memory_s m;

    getrusage(RUSAGE_SELF, &ru);
    t1 = now_ns();
    pthread_mutex_lock(&lock);
    phase.sampling = 0;
    for (p = 0; p < phase.npeers; p++) {
        if (phase.peer_max[p] > app_max)
            app_max = phase.peer_max[p];
        if (used + 32 < sizeof peer_list)
            used += (size_t)snprintf(peer_list + used, sizeof peer_list - used, "%s%zu",
                                     p == 0 ? "" : ",", phase.peer_max[p]);
    }
    if (rss > phase.rss_max_kib)
        phase.rss_max_kib = rss;
    m = reply_text("phase=%s wall_s=%.3f user_s=%.3f sys_s=%.3f frames=%" PRIu64 " skipped=%" PRIu64
                   " bytes=%" PRIu64 " warn=%" PRIu64 " high=%" PRIu64 " low=%" PRIu64
                   " samples=%ld apps=%d app_max=%zu app_max_at_s=%.3f app_max_at_ns=%" PRId64
                   " app_maxes=%s total_max=%zu"
                   " total_mean=%.0f"
                   " engine_max=%lld engine_samples=%ld rss_kib=%ld rss_max_kib=%ld",
                   phase.name, (double)(t1 - phase.t0) / 1e9, cpu_seconds(&phase.ru0, &ru, 1),
                   cpu_seconds(&phase.ru0, &ru, 0), __atomic_load_n(&frames_sent, __ATOMIC_RELAXED),
                   __atomic_load_n(&frames_skipped, __ATOMIC_RELAXED),
                   __atomic_load_n(&bytes_taken, __ATOMIC_RELAXED),
                   __atomic_load_n(&wm_events[IV_AVT_EVENT_P2P_WATERMARK_WARN], __ATOMIC_RELAXED),
                   __atomic_load_n(&wm_events[IV_AVT_EVENT_P2P_WATERMARK_HIGH], __ATOMIC_RELAXED),
                   __atomic_load_n(&wm_events[IV_AVT_EVENT_P2P_WATERMARK_LOW], __ATOMIC_RELAXED),
                   phase.samples, phase.npeers, app_max,
                   phase.app_max ? (double)(phase.app_max_at - phase.t0) / 1e9 : 0.0, phase.app_max_at,
                   used ? peer_list : "-", phase.total_max,
                   phase.samples ? phase.total_sum / (double)phase.samples : 0.0, phase.engine_max,
                   phase.engine_samples, rss, phase.rss_max_kib);
    pthread_mutex_unlock(&lock);
    if (m.buf != NULL) {
        /* The script keeps the device's stdout: the same line, for the record. */
        printf("%.*s\n", (int)m.size, (const char *)m.buf);
        fflush(stdout);
    }
    return m;
}

struct send_job {
    char peer[PEER_LEN];
    long count, warmup, size;
    int64_t *rtt;
    long errors;
    int last_rc;
};

/* A firmware thread of its own, as firmware calls send_command (not a callback thread). */
static void *send_command_loop(void *arg)
{
    struct send_job *job = arg;
    char *msg = malloc((size_t)job->size);
    unsigned char *reply = malloc((size_t)job->size + 64);
    long i, n = 0;
    if (msg == NULL || reply == NULL) {
        job->errors = job->count + job->warmup;
        free(msg);
        free(reply);
        return NULL;
    }
    memset(msg, 'd', (size_t)job->size);
    for (i = 0; i < job->warmup + job->count; i++) {
        size_t len = (size_t)job->size + 64;
        int64_t t0 = now_ns(), t1;
        int rc = iv_avt_p2p_send_command(job->peer, msg, (size_t)job->size, reply, &len, 5000);
        t1 = now_ns();
        if (rc != IV_ERR_NONE || len != (size_t)job->size || memcmp(reply, msg, len) != 0) {
            job->errors++;
            job->last_rc = rc;
            continue;
        }
        job->rtt[n++] = t1 - t0;
    }
    job->count = n;
    free(msg);
    free(reply);
    return NULL;
}

static iv_cm_memory_s send_commands(const char *args, const char *peer)
{
    struct send_job job;
    pthread_t t;
    iv_cm_memory_s m;
    char *list;
    size_t used = 0;
    long i;

    memset(&job, 0, sizeof job);
    if (sscanf(args, "%ld %ld %ld", &job.count, &job.warmup, &job.size) != 3 || job.count < 1 ||
        job.count > 20000 || job.warmup < 0 || job.warmup > 20000 || job.size < 1 ||
        job.size > 16384)
        return reply_text("error=usage");
    snprintf(job.peer, sizeof job.peer, "%s", peer);
    job.rtt = calloc((size_t)(job.count + job.warmup), sizeof job.rtt[0]);
    list = malloc(REPLY_MAX);
    if (job.rtt == NULL || list == NULL || pthread_create(&t, NULL, send_command_loop, &job) != 0) {
        free(job.rtt);
        free(list);
        return reply_text("error=start");
    }
    pthread_join(t, NULL);
    for (i = 0; i < job.count && used + 24 < REPLY_MAX; i++)
        used += (size_t)snprintf(list + used, REPLY_MAX - used, "%s%" PRId64, i ? "," : "", job.rtt[i]);
    list[used] = '\0';
    m = reply_text("n=%ld errors=%ld last_rc=%d rtt_ns=%s", job.count, job.errors, job.last_rc, list);
    free(list);
    free(job.rtt);
    return m;
}

static iv_cm_memory_s cb_command(const char *command, size_t cmd_len, const char *peer)
{
    static const char prefix[] = "bench:";
    iv_cm_memory_s m = {NULL, 0, NULL};

    if (cmd_len < sizeof prefix - 1 || memcmp(command, prefix, sizeof prefix - 1) != 0) {
        /* The echo of the round-trip measurement. */
        m.buf = malloc(cmd_len);
        if (m.buf == NULL)
            return m;
        memcpy(m.buf, command, cmd_len);
        m.size = cmd_len;
        m.buf_free_fn = free_buf;
        return m;
    }
    /* command is followed by a NUL that cmd_len does not count. */
    command += sizeof prefix - 1;
    if (strcmp(command, "clock") == 0)
        return reply_text("mono_ns=%" PRId64, now_ns());
    if (strncmp(command, "watermarks ", 11) == 0) {
        unsigned long low, warn, high;
        if (sscanf(command + 11, "%lu %lu %lu", &low, &warn, &high) != 3)
            return reply_text("error=usage");
        return reply_text("rc=%d", iv_avt_p2p_set_buf_watermark(low, warn, high));
    }
    if (strncmp(command, "phase-begin ", 12) == 0)
        return phase_begin(command + 12);
    if (strcmp(command, "phase-end") == 0)
        return phase_end();
    if (strncmp(command, "send-command ", 13) == 0)
        return send_commands(command + 13, peer);
    return reply_text("error=unknown");
}

/* ---- main ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    iv_p2p_parm_s parm;
    sigset_t stop;
    pthread_t sampler_thread;
    struct timespec wait;
    int probe_port, trans_port, rc = -1, tries;
    long max_seconds;
    int64_t deadline;

    if (argc != 4 || (probe_port = atoi(argv[1])) <= 0 || (trans_port = atoi(argv[2])) <= 0 ||
        (max_seconds = atol(argv[3])) <= 0) {
        fprintf(stderr, "usage: %s PROBE_PORT TRANS_PORT MAX_SECONDS\n", argv[0]);
        return 2;
    }
    /* Blocked before the JVM starts, so every thread inherits it and main takes it (the JVM
     * runs with -Xrs: these signals stay the firmware's). */
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    memset(&parm, 0, sizeof parm);
    parm.p2p_handle_send_init_cb = cb_send_init;
    parm.p2p_handle_send_get_cb = cb_send_get;
    parm.p2p_handle_send_stop_cb = cb_send_stop;
    parm.p2p_handle_event_notify_cb = cb_event;
    parm.p2p_handle_command_cb = cb_command;
    /* The vendor sample's keep-alive; defaults otherwise (sender_interval_ms 10, mtu 1200). */
    parm.p2p_keep_alive.time_inter_s = 10;
    parm.p2p_keep_alive.max_attempt_num = 3;
    parm.p2p_init_params.log_level = IV_AVT_P2P_LOG_WARN;
    snprintf(parm.net_info.local_addr, sizeof parm.net_info.local_addr, "127.0.0.1");
    parm.net_info.device_id = "bench_cam";

    for (tries = 0; tries < PORT_TRIES; tries++) {
        parm.net_info.probe_port = probe_port + 2 * tries;
        parm.net_info.trans_port = trans_port + 2 * tries;
        rc = iv_avt_p2p_init(&parm);
        if (rc == IV_ERR_NONE)
            break;
        fprintf(stderr, "device_bench: init on ports %d/%d returned %d, trying the next pair\n",
                parm.net_info.probe_port, parm.net_info.trans_port, rc);
    }
    if (rc != IV_ERR_NONE) {
        fprintf(stderr, "device_bench: iv_avt_p2p_init failed (%d): is IVP2P_ACCESS_KEY set, "
                        "IVP2P_CLASSPATH the engine test jar?\n", rc);
        return 1;
    }
    if (pthread_create(&sampler_thread, NULL, sampler, NULL) != 0) {
        fprintf(stderr, "device_bench: no sampler thread\n");
        iv_avt_p2p_exit();
        return 1;
    }
    printf("ready probe_port=%d trans_port=%d pid=%ld\n", parm.net_info.probe_port,
           parm.net_info.trans_port, (long)getpid());
    fflush(stdout);

    deadline = now_ns() + (int64_t)max_seconds * 1000000000LL;
    while (now_ns() < deadline) {
        int64_t left = deadline - now_ns();
        wait.tv_sec = (time_t)(left / 1000000000LL);
        wait.tv_nsec = (long)(left % 1000000000LL);
        if (sigtimedwait(&stop, NULL, &wait) > 0)
            break;
        if (errno != EINTR && errno != EAGAIN)
            break;
    }
    pthread_mutex_lock(&lock);
    running = 0;
    pthread_cond_signal(&sampling_changed);
    pthread_mutex_unlock(&lock);
    pthread_join(sampler_thread, NULL);
    rc = iv_avt_p2p_exit();
    printf("exit rc=%d\n", rc);
    fflush(stdout);
    return rc == IV_ERR_NONE ? 0 : 1;
}
