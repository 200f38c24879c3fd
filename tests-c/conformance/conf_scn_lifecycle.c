/*
 * The engine's life cycle with apps connected (iv_av.h: iv_avt_p2p_exit,
 * iv_avt_p2p_init again):
 *
 *  exit_streams  two apps stream without end and a third talks; exit
 *                returns 0 and, by then, each stream had exactly one
 *                send_stop_cb, every buffer is freed and the talk has its one
 *                (NULL, 0); no callback afterwards (conf_main); the apps are
 *                told: a stream ends or the session is closed (-12), and what
 *                they got is the exact start of the stream.
 *  reinit        init / exit / init on the same ports: an app connected
 *                across the exit is closed by it; while the device is down
 *                apps do not find it; after init they connect again, peer
 *                numbering restarts, streams work; an app reconnecting in a
 *                loop across a whole exit/init gets through every time.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf_pattern.h"
#include "conf_scenario.h"
#include "expect.h"

#define MB (1024 * 1024)

static int streaming(void *arg)
{
    (void)arg;
    return fw.stream_count == 2 && fw.streams[0].served >= 2 * MB && fw.streams[1].served >= 2 * MB &&
           fw.talk_count == 1 && fw.talks[0].chunks >= 10;
}

/* A stream the exit cut: the app saw the stream end or its session closed; its bytes are the
 * stream's first ones. */
static int check_cut_stream(conf_cli *c, const char *file, uint32_t seed, uint64_t served)
{
    char line[1024], end[32];
    unsigned char *data;
    size_t len;
    int status = cli_wait_exit(c, CONF_CLI_MS);

    if (status == 0) {
        EXPECT_TRUE(cli_line(c, "stream ", 0, line, sizeof line) == 0 && kv_str(line, "end", end, sizeof end) &&
                    strcmp(end, "ended") == 0);
    } else {
        EXPECT_INT_EQ(2, status);
        EXPECT_TRUE(cli_line(c, "error ", 0, line, sizeof line) == 0 && kv_ll(line, "code", 0) == -12);
    }
    data = conf_read_file(file, &len);
    printf("%s: %zu of the %llu bytes served\n", file, len, (unsigned long long)served);
    EXPECT_TRUE(data != NULL);
    EXPECT_TRUE(len <= served);
    if (data != NULL)
        EXPECT_INT_EQ(-1, pattern_mismatch(seed, 0, data, len));
    free(data);
    return 0;
}

int scenario_exit_streams(conf_env *env)
{
    const char *live[] = {"stream", "--channel", "1", "--params", "action=live&seed=21", "--out", "exit1.bin",
                          "--read-rate", "4000000", NULL};
    const char *play[] = {"stream", "--channel", "3", "--params", "action=playback&seed=22&chunk=65536",
                          "--out", "exit2.bin", "--read-rate", "4000000", NULL};
    /* 20 s of talk at 320 bytes per 20 ms: still going when exit comes. */
    const char *talk[] = {"talk", "--channel", "2", "--params", "action=talk", "--file", "talk.raw",
                          "--chunk", "320", "--interval-ms", "20", NULL};
    conf_cli *a, *b, *t;
    uint64_t served[2];
    int i, status;
    char line[1024];
    unsigned char reply[64];
    size_t len;

    REQUIRE_TRUE(conf_start(env) == 0);
    REQUIRE_TRUE(conf_write_pattern_file("talk.raw", 6, 1000 * 320) == 0);
    a = cli_start(&env->cli, "conf_exit_a", live);
    b = cli_start(&env->cli, "conf_exit_b", play);
    t = cli_start(&env->cli, "conf_exit_t", talk);
    REQUIRE_TRUE(a != NULL && b != NULL && t != NULL);
    REQUIRE_TRUE(fw_wait(streaming, NULL, CONF_CLI_MS));

    EXPECT_INT_EQ(IV_ERR_NONE, fw_exit());
    /* iv_av.h: open streams get send_stop_cb and buffers are freed before exit returns. */
    fw_lock();
    for (i = 0; i < 2; i++) {
        EXPECT_INT_EQ(1, fw.streams[i].stops);
        EXPECT_UINT_EQ(fw.streams[i].buffers, fw.streams[i].frees);
        EXPECT_INT_EQ(0, fw.streams[i].ended);
        served[fw.streams[i].seed == 21 ? 0 : 1] = fw.streams[i].served; /* in either order */
    }
    EXPECT_INT_EQ(0, fw.outstanding);
    EXPECT_INT_EQ(1, fw.talks[0].ends);
    fw_unlock();
    /* After exit: the handles are unknown, the API answers "not initialised". */
    EXPECT_UINT_EQ(0, iv_avt_p2p_get_send_buf(fw.streams[0].handle));
    EXPECT_UINT_EQ(0, iv_avt_p2p_get_send_status(fw.streams[0].handle).link_mode);
    len = sizeof reply;
    EXPECT_INT_EQ(IV_ERR_AVT_STATE_ERROR, iv_avt_p2p_send_command("conf_exit_a#1", "x", 1, reply, &len, 100));

    check_cut_stream(a, "exit1.bin", 21, served[0]);
    check_cut_stream(b, "exit2.bin", 22, served[1]);
    status = cli_wait_exit(t, CONF_CLI_MS);
    EXPECT_INT_EQ(2, status);
    EXPECT_TRUE(cli_line(t, "error ", 0, line, sizeof line) == 0 && kv_ll(line, "code", 0) == -12);
    cli_free(a);
    cli_free(b);
    cli_free(t);
    return expect_failures;
}

static int new_streams(void *arg)
{
    return fw.stream_count > *(int *)arg && fw.streams[*(int *)arg].stops > 0;
}

static int disconnects_at_least(void *arg)
{
    return fw_event_count(IV_AVT_EVENT_P2P_LINK_DISCONNECT, NULL) >= *(int *)arg;
}

int scenario_reinit(conf_env *env)
{
    const char *connect[] = {"connect", NULL};
    const char *connect_short[] = {"--timeout", "1500", "connect", NULL};
    const char *keep[] = {"serve", "--reply-prefix", "k:", "--seconds", "60", NULL};
    const char *stream[] = {"stream", "--channel", "1", "--params", "action=live&bytes=65536&seed=31", NULL};
    const char *loop[] = {"reconnect", "--count", "12", "--pause-ms", "100", NULL};
    char line[1024], peer[FW_PEER_MAX], sha[80], hex[65], end[32];
    int status, cycle, before, target;
    conf_cli *c, *kept, *looping;

    for (cycle = 0; cycle < 2; cycle++) {
        REQUIRE_TRUE(conf_start(env) == 0);
        /* Sessions count from 1 again after each init. */
        c = cli_run(&env->cli, "conf_re", connect, CONF_CLI_MS, &status);
        REQUIRE_TRUE(c != NULL);
        EXPECT_INT_EQ(0, status);
        EXPECT_TRUE(cli_line(c, "connected ", 0, line, sizeof line) == 0 && kv_str(line, "peer", peer, sizeof peer) &&
                    strcmp(peer, "conf_re#1") == 0);
        cli_free(c);

        /* A stream works in every cycle. */
        fw_lock();
        before = fw.stream_count;
        fw_unlock();
        c = cli_run(&env->cli, "conf_re", stream, CONF_CLI_MS, &status);
        REQUIRE_TRUE(c != NULL);
        EXPECT_INT_EQ(0, status);
        pattern_sha256_hex(31, 65536, hex);
        EXPECT_TRUE(cli_line(c, "stream ", 0, line, sizeof line) == 0 && kv_ll(line, "bytes", -1) == 65536 &&
                    kv_str(line, "sha256", sha, sizeof sha) && strcmp(sha, hex) == 0);
        cli_free(c);
        EXPECT_TRUE(fw_wait(new_streams, &before, CONF_WAIT_MS));

        /* An app connected across the exit is closed by it. */
        kept = cli_start(&env->cli, "conf_keep", keep);
        REQUIRE_TRUE(kept != NULL);
        EXPECT_TRUE(cli_wait_line(kept, "connected ", CONF_CLI_MS, line, sizeof line) == 0);
        EXPECT_INT_EQ(IV_ERR_NONE, fw_exit());
        EXPECT_INT_EQ(0, cli_wait_exit(kept, CONF_CLI_MS));
        EXPECT_TRUE(cli_line(kept, "serve ", 0, line, sizeof line) == 0 && kv_str(line, "end", end, sizeof end) &&
                    strcmp(end, "closed") == 0 && kv_ll(line, "code", 0) == -12);
        cli_free(kept);

        /* While the device is down, apps do not find it. */
        c = cli_run(&env->cli, "conf_re", connect_short, CONF_CLI_MS, &status);
        REQUIRE_TRUE(c != NULL);
        EXPECT_INT_EQ(2, status);
        EXPECT_TRUE(cli_line(c, "error ", 0, line, sizeof line) == 0 &&
                    (kv_ll(line, "code", 0) == -6 || kv_ll(line, "code", 0) == -3));
        cli_free(c);
    }

    /* An app reconnecting in a loop while the device goes down and comes back. */
    REQUIRE_TRUE(conf_start(env) == 0);
    looping = cli_start(&env->cli, "conf_loop", loop);
    REQUIRE_TRUE(looping != NULL);
    target = 2;
    EXPECT_TRUE(fw_wait(disconnects_at_least, &target, CONF_CLI_MS));
    EXPECT_INT_EQ(IV_ERR_NONE, fw_exit());
    REQUIRE_TRUE(conf_start(env) == 0);
    fw_lock();
    target = fw_event_count(IV_AVT_EVENT_P2P_LINK_DISCONNECT, NULL) + 2;
    fw_unlock();
    EXPECT_TRUE(fw_wait(disconnects_at_least, &target, CONF_CLI_MS));
    /* Each of its connects retries for up to --timeout: all of them get through. */
    EXPECT_INT_EQ(0, cli_wait_exit(looping, CONF_CLI_MS));
    EXPECT_TRUE(cli_line(looping, "reconnected ", 0, line, sizeof line) == 0 && kv_ll(line, "n", 0) == 12);
    cli_free(looping);
    return expect_failures;
}
