/*
 * The conformance firmware: `conf_fw <scenario>` runs one scenario against
 * app CLIs in other processes, then checks what every scenario must leave
 * behind once iv_avt_p2p_exit has returned: each accepted stream stopped
 * exactly once and nothing for it after its stop, no poll after the end,
 * every buffer freed exactly once with its own size, each talk ended exactly
 * once, watermark events in an order the contract allows, no callback on the
 * thread that called init, no unknown handle, and no callback after exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_scenario.h"
#include "expect.h"

static const struct {
    const char *name;
    int (*run)(conf_env *env);
} scenarios[] = {
    {"stream", scenario_stream},
    {"watermark", scenario_watermark},
    {"stats", scenario_stats},
    {"commands", scenario_commands},
    {"send_command", scenario_send_command},
    {"talk", scenario_talk},
    {"exit_streams", scenario_exit_streams},
    {"reinit", scenario_reinit},
    {"scale", scenario_scale},
};

static int local_net_ready(void *arg)
{
    return fw_event_count(IV_AVT_EVENT_P2P_LOCAL_NET_READY, NULL) > *(int *)arg;
}

int conf_start(conf_env *env)
{
    static int started_before;
    int before, rc, attempt;

    fw_lock();
    before = fw_event_count(IV_AVT_EVENT_P2P_LOCAL_NET_READY, NULL);
    fw_unlock();
    for (attempt = 1;; attempt++) {
        rc = fw_init(env->probe_port, env->trans_port, CONF_DEVICE_ID);
        if (rc == IV_ERR_NONE)
            break;
        fprintf(stderr, "conf: iv_avt_p2p_init returned %d\n", rc);
        /* The ports were free when main picked them, but init binds them only after starting
         * the JVM, and ctest runs another test beside this one: a port taken meanwhile fails
         * init with AVT_FAILED. Then try new ones, but only before the first init: later ones
         * keep the ports the scenario's apps know (reinit inits again on the same ports). */
        if (rc != IV_ERR_AVT_FAILED || started_before || attempt == 5)
            return -1;
        if (fw_free_udp_ports(&env->probe_port, &env->trans_port) != 0)
            return -1;
        snprintf(env->cli.probe, sizeof env->cli.probe, "127.0.0.1:%d", env->probe_port);
        printf("conf: trying again on probe port %d, session port %d\n", env->probe_port, env->trans_port);
    }
    started_before = 1;
    /* iv_av.h: LOCAL_NET_READY once after init, when the LAN ports listen. */
    if (!fw_wait(local_net_ready, &before, CONF_WAIT_MS)) {
        fprintf(stderr, "conf: no LOCAL_NET_READY after init\n");
        return -1;
    }
    return 0;
}

int conf_peer_of(const char *peer, const char *uid)
{
    size_t n = strlen(uid);
    const char *num = peer + n + 1;
    if (strncmp(peer, uid, n) != 0 || peer[n] != '#' || *num < '1' || *num > '9')
        return 0;
    return strspn(num, "0123456789") == strlen(num);
}

/* iv_av.h: WARN, then HIGH or LOW; HIGH, then LOW; LOW, then WARN. Under the lock. */
int conf_watermark_order_ok(void *handle)
{
    enum { NORMAL, WARNED, HIGH } state = NORMAL;
    int i, logged = fw.event_count < FW_MAX_EVENTS ? fw.event_count : FW_MAX_EVENTS;

    for (i = 0; i < logged; i++) {
        iv_avt_event_e e = fw.events[i].event;
        if (fw.events[i].handle != handle)
            continue;
        if (state == NORMAL && e == IV_AVT_EVENT_P2P_WATERMARK_WARN)
            state = WARNED;
        else if (state == WARNED && e == IV_AVT_EVENT_P2P_WATERMARK_HIGH)
            state = HIGH;
        else if (state != NORMAL && e == IV_AVT_EVENT_P2P_WATERMARK_LOW)
            state = NORMAL;
        else {
            fprintf(stderr, "conf: event %d for handle %p in watermark state %d (event #%d)\n", (int)e,
                    handle, (int)state, i);
            return 0;
        }
    }
    return 1;
}

unsigned char *conf_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t cap = 0, n;

    *len = 0;
    if (f == NULL) {
        perror(path);
        return NULL;
    }
    do {
        if (*len == cap) {
            cap = cap ? 2 * cap : 1 << 20;
            data = realloc(data, cap);
        }
        n = fread(data + *len, 1, cap - *len, f);
        *len += n;
    } while (n > 0);
    fclose(f);
    return data;
}

static void check_after_exit(void)
{
    long calls;
    int i;

    fw_lock();
    calls = fw.calls;
    fw_unlock();
    /* Anything the engine still had queued would run now. */
    usleep(300 * 1000);
    fw_lock();
    EXPECT_INT_EQ(calls, fw.calls);
    EXPECT_INT_EQ(0, fw.outstanding);
    EXPECT_INT_EQ(0, fw.bad_frees);
    EXPECT_INT_EQ(0, fw.unknown_handles);
    EXPECT_INT_EQ(0, fw.on_init_thread);
    /* iv_av.h says callbacks never run on the thread that called init; exit runs the last
     * send_stop_cb, buf_free_fn and recv_voice_cb(NULL, 0) on its caller's thread (reported). */
    if (fw.on_exit_thread)
        printf("note: %d callbacks ran on the thread calling iv_avt_p2p_exit, during the call\n",
               fw.on_exit_thread);
    for (i = 0; i < fw.stream_count; i++) {
        fw_stream *s = &fw.streams[i];
        if (s->stops != 1 || s->after_stop != 0 || s->gets_after_end != 0 || s->frees != s->buffers ||
            !conf_watermark_order_ok(s->handle)) {
            fprintf(stderr, "conf: stream %d (%s, %s): %d stops, %d calls after stop, %d polls after"
                    " the end, %llu of %llu buffers freed\n", i, s->params, s->peer, s->stops,
                    s->after_stop, s->gets_after_end, (unsigned long long)s->frees,
                    (unsigned long long)s->buffers);
            expect_failures++;
        }
    }
    for (i = 0; i < fw.talk_count; i++) {
        EXPECT_INT_EQ(1, fw.talks[i].ends);
        EXPECT_INT_EQ(0, fw.talks[i].after_end);
    }
    fw_unlock();
}

int main(int argc, char **argv)
{
    conf_env env;
    size_t i;
    int failures, rc;

    setvbuf(stdout, NULL, _IOLBF, 0);
    for (i = 0; argc == 2 && i < sizeof scenarios / sizeof scenarios[0]; i++)
        if (strcmp(argv[1], scenarios[i].name) == 0)
            break;
    if (argc != 2 || i == sizeof scenarios / sizeof scenarios[0]) {
        fprintf(stderr, "usage: %s <scenario>; scenarios:", argv[0]);
        for (i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
            fprintf(stderr, " %s", scenarios[i].name);
        fprintf(stderr, "\n");
        return 2;
    }
    memset(&env, 0, sizeof env);
    REQUIRE_TRUE(fw_free_udp_ports(&env.probe_port, &env.trans_port) == 0);
    REQUIRE_TRUE(cli_env_setup(&env.cli, CONF_DEVICE_ID, CONF_ACCESS_KEY, env.probe_port) == 0);
    /* The engine reads its access key from the environment (README, "Configuration"). */
    setenv("IVP2P_ACCESS_KEY", CONF_ACCESS_KEY, 1);
    printf("conf_fw %s: device %s, probe port %d, session port %d\n", argv[1], CONF_DEVICE_ID,
           env.probe_port, env.trans_port);

    failures = scenarios[i].run(&env);
    rc = fw_exit(); /* the scenario may have done it already */
    EXPECT_TRUE(rc == IV_ERR_NONE || rc == IV_ERR_AVT_STATE_ERROR);
    check_after_exit();
    if (failures)
        fprintf(stderr, "conf_fw %s: %d expectation(s) failed in the scenario\n", argv[1], failures);
    expect_failures += failures;
    return expect_exit_code(argv[1]);
}
