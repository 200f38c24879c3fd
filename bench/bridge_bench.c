/*
 * bridge_bench - what a call across the C/Java boundary of libiv_p2p costs.
 * A benchmark, not a test: it prints figures and asserts nothing about them.
 *
 *   A. C -> Java: the exported query functions called from C in a loop after
 *      iv_avt_p2p_init (attach check, JNI call, the engine's lookup), against
 *      a plain C call through a function pointer to a trivial function of the
 *      same shape, timed in the same run.
 *   B. Java -> C: the engine calling this program's trivial firmware
 *      callbacks through JNA (io.ivp2p.bridge.FirmwareCallbacks), timed in
 *      Java by io.ivp2p.testkit.BridgeBench (engine test jar, reached through
 *      tests-c/jvm_fixture), against a JNA call of a trivial int f(void).
 *
 * bytes/call is what the calling thread allocated on the Java heap per call
 * (ThreadMXBean#getThreadAllocatedBytes); for A it is read from C before and
 * after the timed rounds.
 *
 * Run with IVP2P_CLASSPATH=<engine test jar> IVP2P_CONFIG=/dev/null
 * (scripts/bench-bridge.sh does). Optional arguments scale the work:
 *   bridge_bench [c_calls_per_round [java_calls_per_round]]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iv_av.h"
#include "jvm_fixture.h"

#define ROUNDS 5
#define C_WARMUP 200000L
#define C_CALLS 2000000L
#define JAVA_WARMUP 50000L
#define JAVA_CALLS 100000L
#define DRIVER "io/ivp2p/testkit/BridgeBench"

/* ---- trivial firmware callbacks ---------------------------------------- */

static uint8_t payload[64];
static int stream_token; /* its address is the stream handle */
static int talk_token;   /* its address is the talk handle */
static volatile unsigned long free_calls;

static void bench_free(uint8_t *buf, size_t size)
{
    (void)buf;
    (void)size;
    free_calls++;
}

static void *cb_send_init(const char *params, const char *peer)
{
    (void)params;
    (void)peer;
    return &stream_token;
}

static iv_cm_memory_s cb_send_get(void *handle)
{
    iv_cm_memory_s m = {payload, sizeof payload, bench_free};
    (void)handle;
    return m;
}

static int cb_send_stop(void *handle)
{
    (void)handle;
    return 0;
}

static void cb_event_notify(iv_avt_event_e event, void *handle)
{
    (void)event;
    (void)handle;
}

static void *cb_recv_init(const char *params, const char *peer)
{
    (void)params;
    (void)peer;
    return &talk_token;
}

static void cb_recv_voice(void *handle, uint8_t *recv_buf, size_t recv_len)
{
    (void)handle;
    (void)recv_buf;
    (void)recv_len;
}

static iv_cm_memory_s cb_command(const char *command, size_t cmd_len, const char *peer)
{
    iv_cm_memory_s m = {payload, sizeof payload, bench_free};
    (void)command;
    (void)cmd_len;
    (void)peer;
    return m;
}

/* ---- baselines: trivial C functions, called through volatile pointers --- */

__attribute__((noinline)) static size_t base_send_buf(void *handle)
{
    return (size_t)(uintptr_t)handle & 1u;
}

__attribute__((noinline)) static iv_p2p_send_stats_s base_send_status(void *handle)
{
    iv_p2p_send_stats_s s;
    memset(&s, 0, sizeof s);
    s.link_mode = (uint32_t)((uintptr_t)handle & 1u);
    return s;
}

__attribute__((noinline)) static int base_watermark(size_t low, size_t warn, size_t high)
{
    return low <= warn && warn <= high ? 0 : 1;
}

/* Section B's baseline, called from Java through JNA. */
__attribute__((noinline)) static int base_jna_int(void)
{
    return 1;
}

static size_t (*volatile fp_send_buf)(void *) = base_send_buf;
static iv_p2p_send_stats_s (*volatile fp_send_status)(void *) = base_send_status;
static int (*volatile fp_watermark)(size_t, size_t, size_t) = base_watermark;

/* ---- section A loops ---------------------------------------------------- */

static volatile size_t sink;

static void loop_export_send_buf(long n)
{
    size_t s = 0;
    long i;
    for (i = 0; i < n; i++)
        s += iv_avt_p2p_get_send_buf(&stream_token);
    sink += s;
}

static void loop_base_send_buf(long n)
{
    size_t s = 0;
    long i;
    for (i = 0; i < n; i++)
        s += fp_send_buf(&stream_token);
    sink += s;
}

static void loop_export_send_status(long n)
{
    size_t s = 0;
    long i;
    for (i = 0; i < n; i++)
        s += iv_avt_p2p_get_send_status(&stream_token).link_mode;
    sink += s;
}

static void loop_base_send_status(long n)
{
    size_t s = 0;
    long i;
    for (i = 0; i < n; i++)
        s += fp_send_status(&stream_token).link_mode;
    sink += s;
}

static void loop_export_watermark(long n)
{
    size_t s = 0;
    long i;
    for (i = 0; i < n; i++)
        s += (size_t)iv_avt_p2p_set_buf_watermark(200 * 1024, 400 * 1024, 500 * 1024);
    sink += s;
}

static void loop_base_watermark(long n)
{
    size_t s = 0;
    long i;
    for (i = 0; i < n; i++)
        s += (size_t)fp_watermark(200 * 1024, 400 * 1024, 500 * 1024);
    sink += s;
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Bytes the calling thread has allocated on the Java heap, or -1. */
static long long java_allocated(void)
{
    char out[64];
    if (fixture_call(DRIVER, "allocated", "", out, sizeof out) != 0)
        return -1;
    return strtoll(out, NULL, 10);
}

/* Median ns/call over ROUNDS rounds of n calls, after a warm-up; *bytes gets
 * the Java heap bytes/call over all rounds (when bytes != NULL). */
static double time_loop(void (*loop)(long), long n, double *bytes)
{
    double ns[ROUNDS];
    long long a0 = 0, a1;
    int r;

    loop(C_WARMUP);
    if (bytes != NULL)
        a0 = java_allocated();
    for (r = 0; r < ROUNDS; r++) {
        double t0 = now_ns();
        loop(n);
        ns[r] = (now_ns() - t0) / (double)n;
    }
    if (bytes != NULL) {
        a1 = java_allocated();
        *bytes = a0 < 0 || a1 < 0 ? -1.0 : (double)(a1 - a0) / ((double)n * ROUNDS);
    }
    qsort(ns, ROUNDS, sizeof ns[0], cmp_double);
    return ns[ROUNDS / 2];
}

#define ROW_FMT "%-52s %9.1f %16.1f %8.1fx %11.1f\n"

static void row(const char *name, double ns, double base, double bytes)
{
    printf(ROW_FMT, name, ns, base, base > 0 ? ns / base : 0.0, bytes);
}

static void section_a(long n)
{
    static const struct {
        const char *name;
        void (*exported)(long);
        void (*baseline)(long);
    } cases[] = {
        {"iv_avt_p2p_get_send_buf(h) -> size_t", loop_export_send_buf, loop_base_send_buf},
        {"iv_avt_p2p_get_send_status(h) -> stats by value", loop_export_send_status,
         loop_base_send_status},
        {"iv_avt_p2p_set_buf_watermark(l, w, h) -> int", loop_export_watermark,
         loop_base_watermark},
    };
    size_t i;

    printf("A. C -> Java: exported function called from C (%ld calls x %d rounds, median;\n"
           "   baseline: trivial C function of the same shape via a function pointer)\n",
           n, ROUNDS);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double bytes;
        double base = time_loop(cases[i].baseline, n, NULL);
        double ns = time_loop(cases[i].exported, n, &bytes);
        row(cases[i].name, ns, base, bytes);
        fflush(stdout);
    }
}

static int section_b(long n)
{
    static char out[16384];
    char args[256];
    char *line, *save = NULL;

    snprintf(args, sizeof args, "baseline=0x%llx warmup=%ld iters=%ld rounds=%d",
             (unsigned long long)(uintptr_t)base_jna_int, JAVA_WARMUP < n ? JAVA_WARMUP : n, n,
             ROUNDS);
    if (fixture_call(DRIVER, "run", args, out, sizeof out) != 0)
        return -1;
    printf("B. Java -> C through JNA: firmware callback called by the engine (%ld calls x %d\n"
           "   rounds, median, System.nanoTime; baseline: JNA call of a trivial int f(void))\n",
           n, ROUNDS);
    for (line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        char *name = line, *tab;
        double ns, base, bytes;
        if ((tab = strchr(line, '\t')) == NULL)
            continue;
        *tab = '\0';
        if (sscanf(tab + 1, "%lf %lf %lf", &ns, &base, &bytes) != 3)
            continue;
        row(name, ns, base, bytes);
    }
    return 0;
}

int main(int argc, char **argv)
{
    iv_p2p_parm_s parm;
    long c_calls = argc > 1 ? atol(argv[1]) : C_CALLS;
    long java_calls = argc > 2 ? atol(argv[2]) : JAVA_CALLS;
    int rc;

    if (c_calls <= 0 || java_calls <= 0) {
        fprintf(stderr, "usage: %s [c_calls_per_round [java_calls_per_round]]\n", argv[0]);
        return 2;
    }
    memset(&parm, 0, sizeof parm);
    parm.p2p_handle_send_init_cb = cb_send_init;
    parm.p2p_handle_send_get_cb = cb_send_get;
    parm.p2p_handle_send_stop_cb = cb_send_stop;
    parm.p2p_handle_event_notify_cb = cb_event_notify;
    parm.p2p_handle_recv_init_cb = cb_recv_init;
    parm.p2p_handle_recv_voice_cb = cb_recv_voice;
    parm.p2p_handle_command_cb = cb_command;
    /* ERROR only: the benchmark measures calls, not log lines. */
    parm.p2p_init_params.log_level = IV_AVT_P2P_LOG_ERROR;

    rc = iv_avt_p2p_init(&parm);
    if (rc != IV_ERR_NONE) {
        fprintf(stderr, "bridge_bench: iv_avt_p2p_init returned %d (is IVP2P_CLASSPATH the engine "
                        "test jar?)\n", rc);
        return 1;
    }

    printf("%-52s %9s %16s %9s %11s\n", "operation", "ns/call", "baseline ns/call", "ratio",
           "bytes/call");
    section_a(c_calls);
    rc = section_b(java_calls);
    printf("(buf_free_fn reached C %lu times)\n", free_calls);

    if (iv_avt_p2p_exit() != IV_ERR_NONE)
        fprintf(stderr, "bridge_bench: iv_avt_p2p_exit failed\n");
    return rc == 0 ? 0 : 1;
}
