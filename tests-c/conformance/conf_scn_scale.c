/*
 * 8 apps x 4 streams at once: 32 send_init_cb, each app's four streams under
 * one peer, 8 peers; every stream's bytes reach its own app (the SHA-256 the
 * app prints is that of the stream the firmware served under that peer);
 * 32 send_stop_cb.
 */
#include <stdio.h>
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

int scenario_scale(const conf_env *env)
{
    /* Seeds 1<app>0<stream>: distinct for every stream, so a stream's hash names it. */
    const char *args[] = {"streams", "--apps", "8", "--streams", "4", "--params-template",
                          "action=live&app={app}&stream={stream}&seed=1{app}0{stream}&bytes=262144",
                          "--bytes", "262144", NULL};
    char hashes[APPS * STREAMS][65], line[1024], sha[80], peers[APPS][FW_PEER_MAX], app_peer[FW_PEER_MAX];
    int used[APPS * STREAMS] = {0};
    int status, i, j, n, npeers = 0, per_peer[APPS] = {0};
    long long app;
    conf_cli *c;

    REQUIRE_TRUE(conf_start(env) == 0);
    c = cli_run(&env->cli, "conf_many", args, CONF_CLI_MS, &status);
    REQUIRE_TRUE(c != NULL);
    EXPECT_INT_EQ(0, status);
    EXPECT_TRUE(cli_line(c, "total ", 0, line, sizeof line) == 0 && kv_ll(line, "ok", -1) == APPS * STREAMS);
    EXPECT_TRUE(fw_wait(all_stopped, NULL, CONF_WAIT_MS));

    fw_lock();
    n = fw.stream_count;
    EXPECT_INT_EQ(APPS * STREAMS, n);
    for (i = 0; i < n && i < APPS * STREAMS; i++) {
        fw_stream *s = &fw.streams[i];
        pattern_sha256_hex(s->seed, BYTES, hashes[i]);
        for (j = 0; j < npeers && strcmp(peers[j], s->peer) != 0; j++)
            ;
        if (j == npeers && npeers < APPS)
            snprintf(peers[npeers++], FW_PEER_MAX, "%s", s->peer);
        if (j < APPS)
            per_peer[j]++;
    }
    fw_unlock();
    EXPECT_INT_EQ(APPS, npeers);
    for (j = 0; j < npeers; j++)
        EXPECT_INT_EQ(STREAMS, per_peer[j]);

    /* Each line names a distinct stream of the firmware, and an app's lines all one peer's. */
    EXPECT_INT_EQ(APPS * STREAMS, cli_line_count(c, "stream "));
    for (i = 0; cli_line(c, "stream ", i, line, sizeof line) == 0; i++) {
        EXPECT_INT_EQ(BYTES, kv_ll(line, "bytes", -1));
        if (!kv_str(line, "sha256", sha, sizeof sha))
            sha[0] = '\0';
        for (j = 0; j < n && j < APPS * STREAMS && (used[j] || strcmp(hashes[j], sha) != 0); j++)
            ;
        if (j == n || j == APPS * STREAMS) {
            fprintf(stderr, "scale: no stream (or one reported twice) with the bytes of \"%s\"\n", line);
            expect_failures++;
            continue;
        }
        used[j] = 1;
        app = kv_ll(line, "app", -1);
        /* The other lines of this app must carry the same peer's streams. */
        for (int k = 0; cli_line(c, "stream ", k, app_peer, sizeof app_peer) == 0; k++) {
            char other[80];
            int m;
            if (k == i || kv_ll(app_peer, "app", -2) != app || !kv_str(app_peer, "sha256", other, sizeof other))
                continue;
            for (m = 0; m < n && m < APPS * STREAMS && strcmp(hashes[m], other) != 0; m++)
                ;
            if (m < n && m < APPS * STREAMS && strcmp(fw.streams[m].peer, fw.streams[j].peer) != 0) {
                fprintf(stderr, "scale: app %lld got streams of %s and of %s\n", app, fw.streams[j].peer,
                        fw.streams[m].peer);
                expect_failures++;
            }
        }
    }
    cli_free(c);
    return expect_failures;
}
