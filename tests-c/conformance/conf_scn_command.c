/*
 * Commands both ways (iv_av.h: p2p_handle_command_cb, iv_avt_p2p_send_command):
 *
 *  commands      app -> device: command_cb gets the bytes, their length, a NUL
 *                after them and the app's peer; the app gets the reply
 *                byte-exact, also a 200000-byte one; an empty reply is
 *                "command channel closed" (-101) at the app.
 *  send_command  device -> app (the CLI's serve): the round trip, a 16 KiB
 *                message, a buffer too small (MALLOC_BUFFER_FAILED and the
 *                size needed), a reply later than timeout_ms
 *                (SEND_DATA_TIMEOUT; the next command gets its own reply, not
 *                the late one), an unknown peer and an app that left
 *                (CHN_NOT_EXIT); exit closes the serving apps' sessions.
 */
#include <stdlib.h>
#include <string.h>

#include "conf_pattern.h"
#include "conf_scenario.h"
#include "expect.h"

#define BIG_REPLY 200000

int scenario_commands(conf_env *env)
{
    const char *hello[] = {"command", "--text", "hello", "--count", "3", NULL};
    const char *close_[] = {"command", "--text", "close", NULL};
    const char *big[] = {"command", "--text", "big:200000", NULL};
    char line[1024], text[256], peer[FW_PEER_MAX], *long_line, *long_text, *expected;
    int status, i;
    conf_cli *c;

    REQUIRE_TRUE(conf_start(env) == 0);

    c = cli_run(&env->cli, "conf_cmd", hello, CONF_CLI_MS, &status);
    REQUIRE_TRUE(c != NULL);
    EXPECT_INT_EQ(0, status);
    EXPECT_INT_EQ(3, cli_line_count(c, "reply "));
    for (i = 0; i < 3 && cli_line(c, "reply ", i, line, sizeof line) == 0; i++) {
        EXPECT_INT_EQ(10, kv_ll(line, "bytes", -1));
        EXPECT_TRUE(kv_str(line, "text", text, sizeof text) && strcmp(text, "echo:hello") == 0);
    }
    cli_free(c);
    fw_lock();
    EXPECT_INT_EQ(3, fw.commands);
    EXPECT_INT_EQ(0, fw.command_peer_switches);
    EXPECT_STR_EQ("hello", fw.command_last);
    EXPECT_TRUE(conf_peer_of(fw.command_peer, "conf_cmd"));
    snprintf(peer, sizeof peer, "%s", fw.command_peer);
    fw_unlock();

    /* command_cb returning {NULL, 0}: the app is told the channel is closed. */
    c = cli_run(&env->cli, "conf_cmd", close_, CONF_CLI_MS, &status);
    REQUIRE_TRUE(c != NULL);
    EXPECT_INT_EQ(2, status);
    EXPECT_TRUE(cli_line(c, "error ", 0, line, sizeof line) == 0 && kv_ll(line, "code", 0) == -101);
    cli_free(c);
    fw_lock();
    EXPECT_INT_EQ(4, fw.commands);
    EXPECT_INT_EQ(1, fw.command_peer_switches);
    EXPECT_STR_EQ("close", fw.command_last);
    /* Another session of the same user: another peer. */
    EXPECT_TRUE(conf_peer_of(fw.command_peer, "conf_cmd") && strcmp(peer, fw.command_peer) != 0);
    fw_unlock();

    /* A reply of 200000 bytes (the protocol allows 256 KiB), byte-exact. */
    c = cli_run(&env->cli, "conf_cmd", big, CONF_CLI_MS, &status);
    REQUIRE_TRUE(c != NULL);
    EXPECT_INT_EQ(0, status);
    long_line = malloc(BIG_REPLY + 1024);
    long_text = malloc(BIG_REPLY + 2);
    expected = malloc(BIG_REPLY + 1);
    pattern_fill_text(99, (uint8_t *)expected, BIG_REPLY);
    expected[BIG_REPLY] = '\0';
    EXPECT_TRUE(cli_line(c, "reply ", 0, long_line, BIG_REPLY + 1024) == 0 &&
                kv_ll(long_line, "bytes", -1) == BIG_REPLY);
    EXPECT_TRUE(kv_str(long_line, "text", long_text, BIG_REPLY + 2) && strcmp(long_text, expected) == 0);
    free(long_line);
    free(long_text);
    free(expected);
    cli_free(c);

    fw_lock();
    EXPECT_INT_EQ(5, fw.commands);
    EXPECT_INT_EQ(0, fw.command_not_nul);
    fw_unlock();
    return expect_failures;
}

static int link_disconnects(void *arg)
{
    return fw_event_count(IV_AVT_EVENT_P2P_LINK_DISCONNECT, NULL) >= *(int *)arg;
}

/* send_command with a reply buffer of cap bytes; the reply (NUL-terminated) in out. */
static int ask(const char *peer, const char *msg, size_t len, char *out, size_t *cap, uint32_t timeout_ms)
{
    int rc = iv_avt_p2p_send_command(peer, msg, len, (unsigned char *)out, cap, timeout_ms);
    if (rc == IV_ERR_NONE)
        out[*cap] = '\0';
    return rc;
}

int scenario_send_command(conf_env *env)
{
    const char *serve[] = {"serve", "--reply-prefix", "ok:", "--seconds", "60", NULL};
    const char *slow[] = {"serve", "--reply-prefix", "slow:", "--delay-ms", "1500", "--seconds", "60", NULL};
    const char *brief[] = {"serve", "--seconds", "1", NULL};
    char line[1024], text[64], peer[FW_PEER_MAX], slow_peer[FW_PEER_MAX], gone_peer[FW_PEER_MAX];
    char reply[20000], *msg;
    size_t len;
    int i, one = 1;
    conf_cli *app, *late, *gone;

    REQUIRE_TRUE(conf_start(env) == 0);
    app = cli_start(&env->cli, "conf_srv", serve);
    REQUIRE_TRUE(app != NULL);
    /* The firmware learns an app's peer name from its callbacks; the CLI prints it too. */
    REQUIRE_TRUE(cli_wait_line(app, "connected ", CONF_CLI_MS, line, sizeof line) == 0);
    REQUIRE_TRUE(kv_str(line, "peer", peer, sizeof peer));
    EXPECT_TRUE(conf_peer_of(peer, "conf_srv"));

    /* Replies that come get CONF_WAIT_MS: the app is a JVM of its own, slow on a loaded machine. */
    len = sizeof reply - 1;
    EXPECT_INT_EQ(IV_ERR_NONE, ask(peer, "ping", 4, reply, &len, CONF_WAIT_MS));
    EXPECT_UINT_EQ(7, len);
    EXPECT_STR_EQ("ok:ping", reply);
    EXPECT_TRUE(cli_wait_line(app, "device-command ", CONF_WAIT_MS, line, sizeof line) == 0 &&
                kv_ll(line, "bytes", -1) == 4);

    /* 16 KiB, the size the vendor says messages should stay under. */
    msg = malloc(16384);
    for (i = 0; i < 16384; i++)
        msg[i] = (char)('a' + i % 26);
    len = sizeof reply - 1;
    EXPECT_INT_EQ(IV_ERR_NONE, ask(peer, msg, 16384, reply, &len, CONF_WAIT_MS));
    EXPECT_UINT_EQ(3 + 16384, len);
    EXPECT_TRUE(memcmp(reply, "ok:", 3) == 0 && memcmp(reply + 3, msg, 16384) == 0);
    free(msg);

    /* Too small: the size it needs in *recv_len, then it fits. */
    len = 4;
    EXPECT_INT_EQ(IV_ERR_AVT_MALLOC_BUFFER_FAILED, ask(peer, "again", 5, reply, &len, CONF_WAIT_MS));
    EXPECT_UINT_EQ(8, len);
    EXPECT_INT_EQ(IV_ERR_NONE, ask(peer, "again", 5, reply, &len, CONF_WAIT_MS));
    EXPECT_STR_EQ("ok:again", reply);

    len = sizeof reply - 1;
    EXPECT_INT_EQ(IV_ERR_AVT_CHN_NOT_EXIT, ask("nobody#77", "ping", 4, reply, &len, 1000));

    /* An app slower than the timeout. */
    late = cli_start(&env->cli, "conf_late", slow);
    REQUIRE_TRUE(late != NULL);
    REQUIRE_TRUE(cli_wait_line(late, "connected ", CONF_CLI_MS, line, sizeof line) == 0);
    REQUIRE_TRUE(kv_str(line, "peer", slow_peer, sizeof slow_peer));
    len = sizeof reply - 1;
    EXPECT_INT_EQ(IV_ERR_AVT_SEND_DATA_TIMEOUT, ask(slow_peer, "late", 4, reply, &len, 300));
    len = sizeof reply - 1;
    EXPECT_INT_EQ(IV_ERR_NONE, ask(slow_peer, "next", 4, reply, &len, CONF_WAIT_MS));
    EXPECT_STR_EQ("slow:next", reply);

    EXPECT_TRUE(cli_wait_line(late, "device-command ", CONF_WAIT_MS, line, sizeof line) == 0 &&
                kv_str(line, "text", text, sizeof text) && strcmp(text, "late") == 0);
    EXPECT_TRUE(cli_wait_line(late, "device-command ", CONF_WAIT_MS, line, sizeof line) == 0 &&
                kv_str(line, "text", text, sizeof text) && strcmp(text, "next") == 0);

    /* An app that left: its peer name is unknown once the device has seen it go. */
    gone = cli_start(&env->cli, "conf_gone", brief);
    REQUIRE_TRUE(gone != NULL);
    REQUIRE_TRUE(cli_wait_line(gone, "connected ", CONF_CLI_MS, line, sizeof line) == 0);
    REQUIRE_TRUE(kv_str(line, "peer", gone_peer, sizeof gone_peer));
    EXPECT_INT_EQ(0, cli_wait_exit(gone, CONF_CLI_MS));
    EXPECT_TRUE(cli_line(gone, "serve ", 0, line, sizeof line) == 0 && kv_str(line, "end", text, sizeof text) &&
                strcmp(text, "time") == 0);
    cli_free(gone);
    EXPECT_TRUE(fw_wait(link_disconnects, &one, CONF_WAIT_MS));
    len = sizeof reply - 1;
    EXPECT_INT_EQ(IV_ERR_AVT_CHN_NOT_EXIT, ask(gone_peer, "ping", 4, reply, &len, 1000));

    /* Exit closes the sessions of the apps still serving. */
    EXPECT_INT_EQ(IV_ERR_NONE, fw_exit());
    EXPECT_INT_EQ(0, cli_wait_exit(app, CONF_CLI_MS));
    EXPECT_TRUE(cli_line(app, "serve ", 0, line, sizeof line) == 0 && kv_ll(line, "commands", -1) == 4 &&
                kv_str(line, "end", text, sizeof text) && strcmp(text, "closed") == 0 &&
                kv_ll(line, "code", 0) == -12);
    EXPECT_INT_EQ(0, cli_wait_exit(late, CONF_CLI_MS));
    EXPECT_TRUE(cli_line(late, "serve ", 0, line, sizeof line) == 0 && kv_ll(line, "commands", -1) == 2);
    cli_free(app);
    cli_free(late);
    return expect_failures;
}
