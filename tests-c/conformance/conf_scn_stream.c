/*
 * Send streams, one app at a time (iv_av.h: send_init_cb, send_get_cb,
 * send_stop_cb, buf_free_fn, the watermarks, get_send_buf/get_send_status):
 *
 *  stream     a 2 MB stream the firmware ends arrives byte-exact in the app's
 *             file; one send_init_cb with the params as sent and the app's
 *             peer; one send_stop_cb, after the last poll; a refused stream
 *             is "refused" (-100) at the app.
 *  stats      inside send_stop_cb of a stream the firmware ended, the figures
 *             are final: sum_sent_acked = the bytes the app received,
 *             get_send_buf 0, link_mode 1 (direct), ave_sent_rate <= sum;
 *             while the stream runs, sum_sent_acked never decreases and never
 *             exceeds what the firmware handed out.
 *  watermark  an app reading slowly: the events follow the contract, a HIGH
 *             comes and a LOW after it, no send_get_cb between a HIGH and its
 *             LOW, get_send_buf below low_mark in the LOW, the bytes exact.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_pattern.h"
#include "conf_scenario.h"
#include "expect.h"

static int stream_stopped(void *arg)
{
    fw_stream *s = fw_stream_at(*(int *)arg);
    return s != NULL && s->stops > 0;
}

static int stream_started(void *arg)
{
    return fw.stream_count > *(int *)arg;
}

int scenario_stream(conf_env *env)
{
    const char *params = "action=live&channel=0&quality=high&bytes=2097152&seed=7&chunk=4096";
    const char *args[] = {"stream", "--channel", "1", "--params", params, "--out", "stream.bin", NULL};
    const char *refused[] = {"stream", "--channel", "1", "--params", "action=live&refuse=1", NULL};
    char line[1024], sha[80], end[32], hex[65];
    unsigned char *file;
    size_t len;
    int status, first = 0;
    conf_cli *c;
    fw_stream *s;

    REQUIRE_TRUE(conf_start(env) == 0);
    c = cli_run(&env->cli, "conf_viewer", args, CONF_CLI_MS, &status);
    REQUIRE_TRUE(c != NULL);
    EXPECT_INT_EQ(0, status);
    REQUIRE_TRUE(cli_line(c, "stream ", 0, line, sizeof line) == 0);
    cli_free(c);
    EXPECT_INT_EQ(2097152, kv_ll(line, "bytes", -1));
    EXPECT_TRUE(kv_str(line, "end", end, sizeof end) && strcmp(end, "ended") == 0);
    pattern_sha256_hex(7, 2097152, hex);
    EXPECT_TRUE(kv_str(line, "sha256", sha, sizeof sha) && strcmp(sha, hex) == 0);

    file = conf_read_file("stream.bin", &len);
    REQUIRE_TRUE(file != NULL);
    EXPECT_UINT_EQ(2097152, len);
    EXPECT_INT_EQ(-1, pattern_mismatch(7, 0, file, len));
    free(file);

    /* The app has every byte; send_stop_cb follows once the device knows it. */
    EXPECT_TRUE(fw_wait(stream_stopped, &first, CONF_WAIT_MS));
    fw_lock();
    EXPECT_INT_EQ(1, fw.stream_count);
    s = fw_stream_at(0);
    if (s != NULL) {
        EXPECT_STR_EQ(params, s->params);
        EXPECT_TRUE(conf_peer_of(s->peer, "conf_viewer"));
        EXPECT_UINT_EQ(2097152, s->served);
        EXPECT_INT_EQ(1, s->ended);
        EXPECT_INT_EQ(1, s->stops);
        EXPECT_INT_EQ(0, s->after_stop);
        EXPECT_INT_EQ(0, s->gets_after_end);
        EXPECT_UINT_EQ(s->buffers, s->frees);
        EXPECT_UINT_EQ(2097152 / 4096, s->buffers);
    }
    fw_unlock();

    /* send_init_cb returning NULL: the app is told "refused". */
    c = cli_run(&env->cli, "conf_viewer", refused, CONF_CLI_MS, &status);
    REQUIRE_TRUE(c != NULL);
    EXPECT_INT_EQ(2, status);
    EXPECT_TRUE(cli_line(c, "error ", 0, line, sizeof line) == 0 && kv_ll(line, "code", 0) == -100);
    cli_free(c);
    fw_lock();
    EXPECT_INT_EQ(1, fw.refused);
    EXPECT_INT_EQ(1, fw.stream_count);
    fw_unlock();
    return expect_failures;
}

int scenario_stats(conf_env *env)
{
    /* 1 MB in 3000-byte chunks (the last one shorter), read at 2 MB/s: half a second of samples. */
    const char *args[] = {"stream", "--channel", "5", "--params",
                          "action=download&file_name=a.mp4&bytes=1000000&seed=11&chunk=3000",
                          "--read-rate", "2000000", NULL};
    char line[1024], sha[80], hex[65];
    int none = 0, first = 0, samples = 0, decreased = 0, above = 0, bad_mode = 0;
    uint64_t last = 0, served;
    conf_cli *c;
    fw_stream *s;
    void *handle;

    REQUIRE_TRUE(conf_start(env) == 0);
    c = cli_start(&env->cli, "conf_stats", args);
    REQUIRE_TRUE(c != NULL);
    REQUIRE_TRUE(fw_wait(stream_started, &none, CONF_WAIT_MS));
    fw_lock();
    handle = fw_stream_at(0)->handle;
    fw_unlock();
    /* Until send_stop_cb the handle is known; after it every figure is 0. Bounded by the CLI's
     * own bound (5 ms a sample). */
    for (int n = 0; n < CONF_CLI_MS / 5; n++) {
        iv_p2p_send_stats_s st = iv_avt_p2p_get_send_status(handle);
        int stopped;
        fw_lock();
        served = fw_stream_at(0)->served;
        stopped = stream_stopped(&first);
        fw_unlock();
        if (st.link_mode != 0) { /* else: not open yet or stopped meanwhile, all zero */
            samples++;
            if (st.sum_sent_acked < last)
                decreased++;
            if (st.sum_sent_acked > served)
                above++;
            if (st.link_mode != 1)
                bad_mode++;
            last = st.sum_sent_acked;
        }
        if (stopped)
            break;
        usleep(5000);
    }
    printf("stats: %d samples while the stream ran\n", samples);
    EXPECT_INT_EQ(0, decreased);
    EXPECT_INT_EQ(0, above);
    EXPECT_INT_EQ(0, bad_mode);

    EXPECT_INT_EQ(0, cli_wait_exit(c, CONF_CLI_MS));
    REQUIRE_TRUE(cli_line(c, "stream ", 0, line, sizeof line) == 0);
    cli_free(c);
    EXPECT_INT_EQ(1000000, kv_ll(line, "bytes", -1));
    pattern_sha256_hex(11, 1000000, hex);
    EXPECT_TRUE(kv_str(line, "sha256", sha, sizeof sha) && strcmp(sha, hex) == 0);

    EXPECT_TRUE(fw_wait(stream_stopped, &first, CONF_WAIT_MS));
    fw_lock();
    s = fw_stream_at(0);
    EXPECT_INT_EQ(1, s->ended);
    EXPECT_UINT_EQ(1000000, s->served);
    EXPECT_UINT_EQ(1000000, s->stop_stats.sum_sent_acked);
    EXPECT_UINT_EQ(0, s->stop_send_buf);
    EXPECT_UINT_EQ(1, s->stop_stats.link_mode);
    EXPECT_TRUE(s->stop_stats.ave_sent_rate <= s->stop_stats.sum_sent_acked);
    printf("stats in send_stop_cb: inst_net_rate %u, ave_sent_rate %u, sum_sent_acked %llu, link_mode %u\n",
           s->stop_stats.inst_net_rate, s->stop_stats.ave_sent_rate,
           (unsigned long long)s->stop_stats.sum_sent_acked, s->stop_stats.link_mode);
    fw_unlock();
    /* After send_stop_cb the handle is unknown. */
    EXPECT_UINT_EQ(0, iv_avt_p2p_get_send_buf(handle));
    EXPECT_UINT_EQ(0, iv_avt_p2p_get_send_status(handle).sum_sent_acked);
    return expect_failures;
}

#define LOW_MARK (96 * 1024)
#define WARN_MARK (160 * 1024)
#define HIGH_MARK (256 * 1024)

int scenario_watermark(conf_env *env)
{
    /* An endless stream in 1 KiB buffers (a pump round adds at most 64 of them, less than
     * warn - low), read at 512 KiB/s until 1.5 MiB: the app's window fills, the device
     * buffers past high, pauses, and resumes whenever the reader has made room. */
    const char *args[] = {"stream", "--channel", "1", "--params", "action=live&seed=3&chunk=1024",
                          "--read-rate", "524288", "--bytes", "1572864", NULL};
    char line[1024], sha[80], end[32], hex[65];
    int status, first = 0, i, logged, first_high = -1, low_after_high = 0;
    conf_cli *c;
    fw_stream *s;

    REQUIRE_TRUE(conf_start(env) == 0);
    EXPECT_INT_EQ(IV_ERR_NONE, iv_avt_p2p_set_buf_watermark(LOW_MARK, WARN_MARK, HIGH_MARK));
    c = cli_run(&env->cli, "conf_slow", args, CONF_CLI_MS, &status);
    REQUIRE_TRUE(c != NULL);
    EXPECT_INT_EQ(0, status);
    REQUIRE_TRUE(cli_line(c, "stream ", 0, line, sizeof line) == 0);
    cli_free(c);
    EXPECT_INT_EQ(1572864, kv_ll(line, "bytes", -1));
    EXPECT_TRUE(kv_str(line, "end", end, sizeof end) && strcmp(end, "limit") == 0);
    pattern_sha256_hex(3, 1572864, hex);
    EXPECT_TRUE(kv_str(line, "sha256", sha, sizeof sha) && strcmp(sha, hex) == 0);

    /* The app closed the stream at its limit. */
    EXPECT_TRUE(fw_wait(stream_stopped, &first, CONF_WAIT_MS));
    fw_lock();
    s = fw_stream_at(0);
    printf("watermark: %d WARN, %d HIGH, %d LOW; %d polls, %llu bytes handed out\n", s->warns, s->highs,
           s->lows, s->gets, (unsigned long long)s->served);
    EXPECT_TRUE(conf_watermark_order_ok(s->handle));
    logged = fw.event_count < FW_MAX_EVENTS ? fw.event_count : FW_MAX_EVENTS;
    for (i = 0; i < logged; i++) {
        if (fw.events[i].handle != s->handle)
            continue;
        if (first_high < 0 && fw.events[i].event == IV_AVT_EVENT_P2P_WATERMARK_HIGH)
            first_high = i;
        if (first_high >= 0 && fw.events[i].event == IV_AVT_EVENT_P2P_WATERMARK_LOW)
            low_after_high = 1;
    }
    EXPECT_TRUE(first_high >= 0);
    EXPECT_TRUE(low_after_high);
    EXPECT_INT_EQ(0, s->gets_while_high);
    EXPECT_TRUE(s->buf_at_low_max < LOW_MARK);
    EXPECT_INT_EQ(0, s->ended);
    fw_unlock();
    return expect_failures;
}
