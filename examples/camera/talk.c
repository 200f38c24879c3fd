#include "talk.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cam_log.h"

typedef struct {
    unsigned id;      /* 0 = no talk */
    FILE *file;
    char path[4400];
    char peer[96];
    uint64_t bytes, chunks;
} talk;

/* The SDK calls recv_voice for one talk in order, but init, voice and the
 * get_info command run on different threads: one lock for the little state
 * there is. fwrite into stdio's buffer is short enough to hold it. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static talk current;
static unsigned next_id = 1;
static char talk_dir[4096] = ".";

void talk_setup(const char *dir)
{
    snprintf(talk_dir, sizeof talk_dir, "%s", dir);
}

void *talk_on_recv_init(const char *params, const char *peer)
{
    void *handle = NULL;

    pthread_mutex_lock(&lock);
    if (current.id != 0) {
        cam_log("talk from %s refused: %s is talking", peer, current.peer);
    } else {
        unsigned id = next_id++;
        snprintf(current.path, sizeof current.path, "%s/talk_%lld_%u.raw", talk_dir, (long long)time(NULL), id);
        current.file = fopen(current.path, "wbe"); /* e: close-on-exec */
        if (current.file == NULL) {
            cam_log("talk from %s refused: %s: %s", peer, current.path, strerror(errno));
        } else {
            current.id = id;
            snprintf(current.peer, sizeof current.peer, "%s", peer ? peer : "");
            current.bytes = current.chunks = 0;
            handle = (void *)(uintptr_t)id;
            cam_log("talk %u: from %s (%s) -> %s", id, current.peer, params, current.path);
        }
    }
    pthread_mutex_unlock(&lock);
    return handle;
}

/* Under lock. */
static void finish(const char *why)
{
    int rc = fclose(current.file);
    cam_log("talk %u: %s: %llu bytes in %llu chunks written to %s%s", current.id, why,
            (unsigned long long)current.bytes, (unsigned long long)current.chunks, current.path,
            rc != 0 ? " (close failed: the file may be short)" : "");
    memset(&current, 0, sizeof current);
}

void talk_on_recv_voice(void *handle, uint8_t *recv_buf, size_t recv_len)
{
    pthread_mutex_lock(&lock);
    if (current.id == 0 || (uintptr_t)handle != current.id) {
        cam_log("voice for unknown talk %u", (unsigned)(uintptr_t)handle);
    } else if (recv_buf == NULL) {
        finish("ended");
    } else if (fwrite(recv_buf, 1, recv_len, current.file) != recv_len) {
        /* Keep the talk open (the SDK would send the rest anyway) but say so once per chunk. */
        cam_log("talk %u: write to %s failed: %s", current.id, current.path, strerror(errno));
    } else {
        current.bytes += recv_len;
        current.chunks++;
    }
    pthread_mutex_unlock(&lock);
}

int talk_count(void)
{
    int n;

    pthread_mutex_lock(&lock);
    n = current.id != 0;
    pthread_mutex_unlock(&lock);
    return n;
}

int talk_teardown(void)
{
    int left;

    pthread_mutex_lock(&lock);
    left = current.id != 0;
    if (left)
        finish("never ended by the SDK");
    pthread_mutex_unlock(&lock);
    return left;
}
