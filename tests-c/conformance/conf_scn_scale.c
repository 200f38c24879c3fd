/*
 * 8 apps x 4 streams at once (the CLI's streams: apps conf_many0..7, each one
 * session with streams on channels 1..4): 32 send_init_cb, 8 peers with 4
 * streams each, every app's peer its own uid's; each stream's bytes reach
 * the app and channel that asked for them (the SHA-256 the app prints is the
 * one of the seed in its params); 32 send_stop_cb.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_pattern.h"
#include "conf_scenario.h"
#include "expect.h"

#define APPS 8
#define STREAMS 4
#define BYTES 262144

static int all_stopped(void *arg)
{
    int i;
    (void)arg;
    if (fw.stream_count < APPS * STREAMS)
        return 0;
    for (i = 0; i < fw.stream_count; i++)
        if (fw.streams[i].stops == 0)
            return 0;
    return 1;
}

/* Seeds "1<app>0<channel>": distinct for every stream. */
static uint32_t seed_of(int app, int channel)
{
    return (uint32_t)(1000 + 100 * app + channel);
}

int scenario_scale(conf_env *env)
{
    const char *args[] = {"streams", "--apps", "8", "--streams", "4", "--params-template",
                          "action=live&channel={stream}&app={app}&seed=1{app}0{stream}&bytes=262144",
                          "--bytes", "262144", NULL};
    char line[1024], sha[80], hex[65], uid[32];
    int seen[APPS][STREAMS + 1];
    int status, i, a, ch;
    conf_cli *c;

    REQUIRE_TRUE(conf_start(env) == 0);
    c = cli_run(&env->cli, "conf_many", args, CONF_CLI_MS, &status);
    REQUIRE_TRUE(c != NULL);
    EXPECT_INT_EQ(0, status);
    EXPECT_TRUE(cli_line(c, "total ", 0, line, sizeof line) == 0 && kv_ll(line, "ok", -1) == APPS * STREAMS);

    /* What each app got. */
    memset(seen, 0, sizeof seen);
    EXPECT_INT_EQ(APPS * STREAMS, cli_line_count(c, "stream "));
    for (i = 0; cli_line(c, "stream ", i, line, sizeof line) == 0; i++) {
        a = (int)kv_ll(line, "app", -1);
        ch = (int)kv_ll(line, "channel", -1);
        if (a < 0 || a >= APPS || ch < 1 || ch > STREAMS) {
            fprintf(stderr, "scale: unexpected line \"%s\"\n", line);
            expect_failures++;
            continue;
        }
        seen[a][ch]++;
        EXPECT_INT_EQ(BYTES, kv_ll(line, "bytes", -1));
        pattern_sha256_hex(seed_of(a, ch), BYTES, hex);
        if (!kv_str(line, "sha256", sha, sizeof sha) || strcmp(sha, hex) != 0) {
            fprintf(stderr, "scale: app %d channel %d did not get the bytes of seed %u\n", a, ch,
                    (unsigned)seed_of(a, ch));
            expect_failures++;
        }
    }
    cli_free(c);
    for (a = 0; a < APPS; a++)
        for (ch = 1; ch <= STREAMS; ch++)
            EXPECT_INT_EQ(1, seen[a][ch]);

    /* What the firmware served, and to whom. */
    EXPECT_TRUE(fw_wait(all_stopped, NULL, CONF_WAIT_MS));
    memset(seen, 0, sizeof seen);
    fw_lock();
    EXPECT_INT_EQ(APPS * STREAMS, fw.stream_count);
    for (i = 0; i < fw.stream_count; i++) {
        fw_stream *s = &fw.streams[i];
        a = (int)params_ull(s->params, "app", 99);
        ch = (int)params_ull(s->params, "channel", 99);
        if (a >= APPS || ch < 1 || ch > STREAMS || s->seed != seed_of(a, ch)) {
            fprintf(stderr, "scale: send_init_cb with unexpected params \"%s\"\n", s->params);
            expect_failures++;
            continue;
        }
        seen[a][ch]++;
        snprintf(uid, sizeof uid, "conf_many%d", a);
        if (!conf_peer_of(s->peer, uid)) {
            fprintf(stderr, "scale: app %d's stream on channel %d came with peer \"%s\"\n", a, ch, s->peer);
            expect_failures++;
        }
        /* One session per app: its four streams under one peer. */
        if (ch > 1)
            for (int j = 0; j < fw.stream_count; j++)
                if (params_ull(fw.streams[j].params, "app", 99) == (unsigned)a &&
                    strcmp(fw.streams[j].peer, s->peer) != 0) {
                    fprintf(stderr, "scale: app %d has streams under %s and %s\n", a, s->peer,
                            fw.streams[j].peer);
                    expect_failures++;
                    break;
                }
        EXPECT_UINT_EQ(BYTES, s->served);
    }
    fw_unlock();
    for (a = 0; a < APPS; a++)
        for (ch = 1; ch <= STREAMS; ch++)
            EXPECT_INT_EQ(1, seen[a][ch]);
    return expect_failures;
}
