/*
 * Talk (iv_av.h: p2p_handle_recv_init_cb, p2p_handle_recv_voice_cb): the app
 * sends a file in 320-byte chunks (the last one shorter); the firmware gets
 * one recv_init_cb with the params and the app's peer, every chunk in order
 * with its boundaries and bytes, then exactly one (NULL, 0).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_pattern.h"
#include "conf_scenario.h"
#include "expect.h"

#define TALK_BYTES (100 * 320 + 17)

static int talk_ended(void *arg)
{
    (void)arg;
    return fw.talk_count > 0 && fw.talks[0].ends > 0;
}

int conf_write_pattern_file(const char *path, uint32_t seed, size_t len)
{
    unsigned char *data = malloc(len);
    FILE *f = fopen(path, "wb");
    int ok = data != NULL && f != NULL;
    if (ok) {
        pattern_fill(seed, 0, data, len);
        ok = fwrite(data, 1, len, f) == len;
    }
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    free(data);
    return ok ? 0 : -1;
}

int scenario_talk(conf_env *env)
{
    const char *params = "action=talk&channel=0&codec=pcm&rate=8000";
    const char *args[] = {"talk", "--channel", "2", "--params", params, "--file", "talk.raw",
                          "--chunk", "320", NULL};
    char line[1024];
    int status, i, boundaries_ok = 1;
    conf_cli *c;
    fw_talk *t;

    REQUIRE_TRUE(conf_start(env) == 0);
    REQUIRE_TRUE(conf_write_pattern_file("talk.raw", 5, TALK_BYTES) == 0);
    c = cli_run(&env->cli, "conf_talker", args, CONF_CLI_MS, &status);
    REQUIRE_TRUE(c != NULL);
    EXPECT_INT_EQ(0, status);
    EXPECT_TRUE(cli_line(c, "talk ", 0, line, sizeof line) == 0);
    cli_free(c);
    EXPECT_INT_EQ(101, kv_ll(line, "chunks", -1));
    EXPECT_INT_EQ(TALK_BYTES, kv_ll(line, "bytes", -1));

    EXPECT_TRUE(fw_wait(talk_ended, NULL, CONF_WAIT_MS));
    fw_lock();
    EXPECT_INT_EQ(1, fw.talk_count);
    t = &fw.talks[0];
    EXPECT_STR_EQ(params, t->params);
    EXPECT_TRUE(conf_peer_of(t->peer, "conf_talker"));
    EXPECT_INT_EQ(101, t->chunks);
    for (i = 0; i < t->chunks; i++)
        if (t->lens[i] != (i < 100 ? 320u : 17u))
            boundaries_ok = 0;
    EXPECT_TRUE(boundaries_ok);
    EXPECT_UINT_EQ(TALK_BYTES, t->bytes);
    EXPECT_INT_EQ(-1, pattern_mismatch(5, 0, t->data, t->bytes));
    EXPECT_INT_EQ(1, t->ends);
    EXPECT_INT_EQ(0, t->after_end);
    fw_unlock();
    return expect_failures;
}
