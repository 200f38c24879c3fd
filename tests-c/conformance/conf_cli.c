#include "conf_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_ARGS 64
/* Echoed lines are cut here: a command reply may be 256 KiB of text. */
#define ECHO_MAX 300

struct conf_cli {
    int id;
    pid_t pid;
    int exited, status;
    int out_fd, err_fd;
    pthread_t reader;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    char **lines;           /* stdout lines, under lock */
    int count, cap;
    char *used;             /* per line: returned by cli_wait_line already */
    int eof;                /* stdout closed */
};

static int next_id;

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int cli_env_setup(cli_env *e, const char *device_id, const char *key, int probe_port)
{
    const char *jars = getenv("IVP2P_APP_JARS"), *java = getenv("IVP2P_APP_JAVA");

    memset(e, 0, sizeof *e);
    if (jars == NULL || *jars == '\0') {
        fprintf(stderr, "conf_cli: IVP2P_APP_JARS is not set (the ivp2p-app-jars directory of java/app)\n");
        return -1;
    }
    snprintf(e->jars, sizeof e->jars, "%s", jars);
    snprintf(e->java, sizeof e->java, "%s", java && *java ? java : "java");
    snprintf(e->device_id, sizeof e->device_id, "%s", device_id);
    snprintf(e->key, sizeof e->key, "%s", key);
    snprintf(e->probe, sizeof e->probe, "127.0.0.1:%d", probe_port);
    snprintf(e->log_level, sizeof e->log_level, "info");
    return 0;
}

/* Keeps one stdout line; under c->lock. */
static void add_line(conf_cli *c, const char *line)
{
    if (c->count == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->lines = realloc(c->lines, c->cap * sizeof *c->lines);
        c->used = realloc(c->used, c->cap);
    }
    c->lines[c->count] = strdup(line);
    c->used[c->count] = 0;
    c->count++;
    pthread_cond_broadcast(&c->changed);
}

/* One line of the child: stdout lines are kept, both are echoed (long ones shortened). */
static void line_done(conf_cli *c, int is_err, char *line)
{
    size_t len = strlen(line);
    if (is_err)
        fprintf(stderr, "[app %d!] %.*s%s\n", c->id, (int)(len > ECHO_MAX ? ECHO_MAX : len), line,
                len > ECHO_MAX ? "..." : "");
    else
        printf("[app %d] %.*s%s\n", c->id, (int)(len > ECHO_MAX ? ECHO_MAX : len), line,
               len > ECHO_MAX ? "..." : "");
    if (!is_err) {
        pthread_mutex_lock(&c->lock);
        add_line(c, line);
        pthread_mutex_unlock(&c->lock);
    }
}

static void *reader_main(void *arg)
{
    conf_cli *c = arg;
    struct pollfd p[2];
    char *buf[2] = {NULL, NULL}, *nl;
    size_t have[2] = {0, 0}, cap[2] = {0, 0};
    int open_fds = 2, i;
    ssize_t n;

    p[0].fd = c->out_fd;
    p[1].fd = c->err_fd;
    while (open_fds > 0) {
        p[0].events = p[1].events = POLLIN;
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (cap[i] - have[i] < 4097) {
                cap[i] = cap[i] ? 2 * cap[i] : 65536;
                buf[i] = realloc(buf[i], cap[i]);
            }
            n = read(p[i].fd, buf[i] + have[i], cap[i] - have[i] - 1);
            if (n <= 0) {
                if (have[i] > 0) { /* a last line without its newline */
                    buf[i][have[i]] = '\0';
                    line_done(c, i, buf[i]);
                    have[i] = 0;
                }
                p[i].fd = -1;
                open_fds--;
                continue;
            }
            have[i] += (size_t)n;
            buf[i][have[i]] = '\0';
            while ((nl = memchr(buf[i], '\n', have[i])) != NULL) {
                size_t len = (size_t)(nl - buf[i]);
                *nl = '\0';
                line_done(c, i, buf[i]);
                memmove(buf[i], nl + 1, have[i] - len); /* with the NUL */
                have[i] -= len + 1;
            }
        }
    }
    free(buf[0]);
    free(buf[1]);
    fflush(stdout);
    pthread_mutex_lock(&c->lock);
    c->eof = 1;
    pthread_cond_broadcast(&c->changed);
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

conf_cli *cli_start(const cli_env *e, const char *uid, const char *const args[])
{
    char classpath[PATH_MAX + 8];
    const char *argv[MAX_ARGS];
    int argc = 0, out[2], err[2], i, rc;
    posix_spawn_file_actions_t fa;
    conf_cli *c;
    pthread_condattr_t ca;

    snprintf(classpath, sizeof classpath, "%s/*", e->jars);
    argv[argc++] = e->java;
    /* A short-lived client: start fast, stay small beside the device's JVM. */
    argv[argc++] = "-XX:+UseSerialGC";
    argv[argc++] = "-XX:TieredStopAtLevel=1";
    argv[argc++] = "-Xmx128m";
    argv[argc++] = "-cp";
    argv[argc++] = classpath;
    argv[argc++] = "io.ivp2p.app.cli.Main";
    argv[argc++] = "--uid";
    argv[argc++] = uid;
    argv[argc++] = "--device";
    argv[argc++] = e->device_id;
    argv[argc++] = "--key";
    argv[argc++] = e->key;
    argv[argc++] = "--probe";
    argv[argc++] = e->probe;
    argv[argc++] = "--log-level";
    argv[argc++] = e->log_level;
    for (i = 0; args[i] != NULL && argc < MAX_ARGS - 1; i++)
        argv[argc++] = args[i];
    argv[argc] = NULL;

    if (pipe2(out, O_CLOEXEC) != 0)
        return NULL;
    if (pipe2(err, O_CLOEXEC) != 0) {
        close(out[0]);
        close(out[1]);
        return NULL;
    }
    c = calloc(1, sizeof *c);
    c->id = ++next_id;
    pthread_mutex_init(&c->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&c->changed, &ca);
    pthread_condattr_destroy(&ca);

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    /* The device's JVM opens its sockets without FD_CLOEXEC: the app must not
     * inherit them (it would keep the device's ports bound past exit). */
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    printf("[app %d] $", c->id);
    for (i = 0; argv[i] != NULL; i++)
        printf(" %s", argv[i]);
    printf("\n");
    fflush(stdout);
    rc = posix_spawnp(&c->pid, e->java, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    close(err[1]);
    if (rc != 0) {
        fprintf(stderr, "conf_cli: cannot start %s: %s\n", e->java, strerror(rc));
        close(out[0]);
        close(err[0]);
        free(c);
        return NULL;
    }
    c->out_fd = out[0];
    c->err_fd = err[0];
    pthread_create(&c->reader, NULL, reader_main, c);
    return c;
}

static void deadline_in(struct timespec *t, int timeout_ms)
{
    clock_gettime(CLOCK_MONOTONIC, t);
    t->tv_sec += timeout_ms / 1000;
    t->tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    }
}

int cli_wait_line(conf_cli *c, const char *prefix, int timeout_ms, char *out, size_t size)
{
    struct timespec deadline;
    size_t plen = strlen(prefix);
    int i, rc = -1;

    deadline_in(&deadline, timeout_ms);
    pthread_mutex_lock(&c->lock);
    for (;;) {
        for (i = 0; i < c->count; i++)
            if (!c->used[i] && strncmp(c->lines[i], prefix, plen) == 0)
                break;
        if (i < c->count) {
            c->used[i] = 1;
            snprintf(out, size, "%s", c->lines[i]);
            rc = 0;
            break;
        }
        if (c->eof || pthread_cond_timedwait(&c->changed, &c->lock, &deadline) == ETIMEDOUT)
            break;
    }
    if (rc != 0)
        fprintf(stderr, "conf_cli: app %d: no line \"%s...\" (%s)\n", c->id, prefix,
                c->eof ? "it ended" : "timed out");
    pthread_mutex_unlock(&c->lock);
    return rc;
}

static int decode(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
}

int cli_wait_exit(conf_cli *c, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    int status;

    if (c->exited)
        return c->status;
    while (waitpid(c->pid, &status, WNOHANG) == 0) {
        if (now_ms() >= deadline) {
            fprintf(stderr, "conf_cli: app %d (pid %d) still runs after %d ms: killed\n", c->id,
                    (int)c->pid, timeout_ms);
            kill(c->pid, SIGKILL);
            waitpid(c->pid, &status, 0);
            c->exited = 1;
            c->status = -1;
            pthread_join(c->reader, NULL);
            c->reader = 0;
            return -1;
        }
        usleep(10000);
    }
    c->exited = 1;
    c->status = decode(status);
    /* The child is gone: its pipes reach EOF once anything still buffered is read. */
    pthread_join(c->reader, NULL);
    c->reader = 0;
    printf("[app %d] exit status %d\n", c->id, c->status);
    fflush(stdout);
    return c->status;
}

int cli_line_count(conf_cli *c, const char *prefix)
{
    int i, n = 0;
    size_t plen = strlen(prefix);
    pthread_mutex_lock(&c->lock);
    for (i = 0; i < c->count; i++)
        if (strncmp(c->lines[i], prefix, plen) == 0)
            n++;
    pthread_mutex_unlock(&c->lock);
    return n;
}

int cli_line(conf_cli *c, const char *prefix, int nth, char *out, size_t size)
{
    int i, rc = -1;
    size_t plen = strlen(prefix);
    pthread_mutex_lock(&c->lock);
    for (i = 0; i < c->count; i++)
        if (strncmp(c->lines[i], prefix, plen) == 0 && nth-- == 0) {
            snprintf(out, size, "%s", c->lines[i]);
            rc = 0;
            break;
        }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

void cli_free(conf_cli *c)
{
    int i;
    if (c == NULL)
        return;
    if (!c->exited)
        cli_wait_exit(c, 0);
    close(c->out_fd);
    close(c->err_fd);
    for (i = 0; i < c->count; i++)
        free(c->lines[i]);
    free(c->lines);
    free(c->used);
    pthread_cond_destroy(&c->changed);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

conf_cli *cli_run(const cli_env *e, const char *uid, const char *const args[], int timeout_ms, int *status)
{
    conf_cli *c = cli_start(e, uid, args);
    *status = c ? cli_wait_exit(c, timeout_ms) : -3;
    return c;
}

int kv_str(const char *line, const char *key, char *out, size_t size)
{
    size_t klen = strlen(key), n;
    const char *p = line;

    while ((p = strstr(p, key)) != NULL) {
        if ((p == line || p[-1] == ' ') && p[klen] == '=') {
            p += klen + 1;
            n = strcspn(p, " ");
            if (n >= size)
                n = size - 1;
            memcpy(out, p, n);
            out[n] = '\0';
            return 1;
        }
        p += klen;
    }
    return 0;
}

long long kv_ll(const char *line, const char *key, long long dflt)
{
    char v[32], *end;
    long long n;
    if (!kv_str(line, key, v, sizeof v) || v[0] == '\0')
        return dflt;
    n = strtoll(v, &end, 10);
    return *end == '\0' ? n : dflt;
}
