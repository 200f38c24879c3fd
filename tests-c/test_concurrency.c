/*
 * 8 firmware threads calling the API at once: concurrent init while no JVM
 * exists yet and again once it runs (exactly one wins each time), a mix of every function from all threads (every result as
 * documented), concurrent exit (exactly one wins). Threads that attached to
 * the JVM are detached when they exit: the JVM's thread count returns to
 * where it was.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "iv_av.h"
#include "jvm_fixture.h"
#include "test_parm.h"

#define THREADS 8
#define ROUNDS 2000

static iv_p2p_parm_s parm;
static pthread_barrier_t start_line;
static int init_results[THREADS], exit_results[THREADS];
static int mix_failures[THREADS];

static void *init_together(void *arg)
{
    int id = (int)(intptr_t)arg;
    pthread_barrier_wait(&start_line);
    init_results[id] = iv_avt_p2p_init(&parm);
    return NULL;
}

static void *exit_together(void *arg)
{
    int id = (int)(intptr_t)arg;
    pthread_barrier_wait(&start_line);
    exit_results[id] = iv_avt_p2p_exit();
    return NULL;
}

static void *mixed_calls(void *arg)
{
    int id = (int)(intptr_t)arg, i, bad = 0;
    unsigned char reply[32];
    size_t reply_len;
    iv_p2p_send_stats_s stats;

    pthread_barrier_wait(&start_line);
    for (i = 0; i < ROUNDS; i++) {
        size_t base = (size_t)(id + 1) * 1024;
        switch (i % 5) {
        case 0:
            bad += iv_avt_p2p_set_buf_watermark(base, base * 2, base * 3) != IV_ERR_NONE;
            break;
        case 1:
            bad += iv_avt_p2p_set_buf_watermark(base * 3, base, base) != IV_ERR_AVT_INPUT_PARAM_INVAILD;
            break;
        case 2:
            bad += iv_avt_p2p_get_send_buf(&reply) != 0;
            break;
        case 3:
            stats = iv_avt_p2p_get_send_status(&reply);
            bad += stats.sum_sent_acked != 0 || stats.link_mode != 0;
            break;
        default:
            reply_len = sizeof reply;
            bad += iv_avt_p2p_send_command("nobody", "ping", 4, reply, &reply_len, 10) !=
                   IV_ERR_AVT_CHN_NOT_EXIT;
            break;
        }
    }
    mix_failures[id] = bad;
    return NULL;
}

static void run_threads(void *(*fn)(void *))
{
    pthread_t threads[THREADS];
    int i;
    pthread_barrier_init(&start_line, NULL, THREADS);
    for (i = 0; i < THREADS; i++)
        pthread_create(&threads[i], NULL, fn, (void *)(intptr_t)i);
    for (i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start_line);
}

static int count_equal(const int *results, int value)
{
    int i, n = 0;
    for (i = 0; i < THREADS; i++)
        n += results[i] == value;
    return n;
}

/* The JVM's thread count after an exit. Probe.javaThreadsAfterExit first waits for the engine's
 * own threads to end: exit returns once the pump's last round is done, a moment before its thread
 * has ended, and a count taken at once (on either side of the comparison) may include it. */
static long java_threads(void)
{
    char out[32];
    return fixture_call("io/ivp2p/testkit/Probe", "javaThreadsAfterExit", "", out, sizeof out) == 0
               ? strtol(out, NULL, 10)
               : -1;
}

int main(void)
{
    long java_before, java_after;
    int i;

    /* Round 1, cold: 8 threads race to create the JVM; exactly one init wins. */
    test_parm_valid(&parm, IV_AVT_P2P_LOG_DISABLE);
    EXPECT_INT_EQ(0, fixture_jvm_loaded());
    run_threads(init_together);
    EXPECT_INT_EQ(1, count_equal(init_results, IV_ERR_NONE));
    EXPECT_INT_EQ(THREADS - 1, count_equal(init_results, IV_ERR_AVT_STATE_ERROR));
    run_threads(exit_together);
    EXPECT_INT_EQ(1, count_equal(exit_results, IV_ERR_NONE));
    java_before = java_threads();

    /* Round 2, warm: init race, every function from every thread, exit race. */
    run_threads(init_together);
    EXPECT_INT_EQ(1, count_equal(init_results, IV_ERR_NONE));
    EXPECT_INT_EQ(THREADS - 1, count_equal(init_results, IV_ERR_AVT_STATE_ERROR));

    run_threads(mixed_calls);
    for (i = 0; i < THREADS; i++)
        EXPECT_INT_EQ(0, mix_failures[i]);

    run_threads(exit_together);
    EXPECT_INT_EQ(1, count_equal(exit_results, IV_ERR_NONE));
    EXPECT_INT_EQ(THREADS - 1, count_equal(exit_results, IV_ERR_AVT_STATE_ERROR));

    /* 24 more firmware threads attached and exited: all detached again. */
    java_after = java_threads();
    printf("Java threads before %ld, after %ld\n", java_before, java_after);
    EXPECT_TRUE(java_before > 0);
    EXPECT_INT_EQ(java_before, java_after);
    return expect_exit_code("test_concurrency");
}
