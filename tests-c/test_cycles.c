/*
 * 50 init/exit cycles in one process (firmware restarts the SDK on network
 * changes). The JVM is created once and reused; each cycle opens and closes a
 * log file. Bound (documented in the README): after the first cycles have
 * warmed up class loading and the JIT, the process must not gain file
 * descriptors, may gain at most THREAD_SLACK threads, and RSS may grow at most
 * RSS_GROWTH_LIMIT_KIB.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "expect.h"
#include "iv_av.h"
#include "jvm_fixture.h"
#include "test_parm.h"

#define CYCLES 50
#define WARM_CYCLES 5
#define RSS_GROWTH_LIMIT_KIB (16 * 1024)
/* HotSpot may start a compiler thread on demand (UseDynamicNumberOfCompilerThreads);
 * a per-cycle leak would add one thread per cycle, 45 here. */
#define THREAD_SLACK 2

static int cycle(iv_p2p_parm_s *parm)
{
    int rc = iv_avt_p2p_init(parm);
    if (rc != IV_ERR_NONE)
        return rc;
    rc = iv_avt_p2p_set_buf_watermark(200 * 1024, 400 * 1024, 500 * 1024);
    if (rc != IV_ERR_NONE)
        return rc;
    return iv_avt_p2p_exit();
}

int main(void)
{
    const char *work = getenv("IVP2P_TEST_WORK_DIR");
    char log_dir[4096];
    iv_p2p_parm_s parm;
    long threads_warm, rss_warm, fds_warm, threads_end, rss_end, fds_end;
    int i, failures = 0;

    snprintf(log_dir, sizeof log_dir, "%s/log", work ? work : ".");
    mkdir(log_dir, 0755);
    test_parm_valid(&parm, IV_AVT_P2P_LOG_INFO);
    parm.p2p_init_params.log_file_path = log_dir;
    parm.p2p_init_params.log_file_size = 16 * 1024;

    for (i = 0; i < WARM_CYCLES; i++)
        failures += cycle(&parm) != IV_ERR_NONE;
    threads_warm = fixture_os_threads();
    rss_warm = fixture_rss_kib();
    fds_warm = fixture_open_fds();

    for (; i < CYCLES; i++)
        failures += cycle(&parm) != IV_ERR_NONE;
    threads_end = fixture_os_threads();
    rss_end = fixture_rss_kib();
    fds_end = fixture_open_fds();

    printf("after %d cycles: threads %ld, RSS %ld KiB, fds %ld\n", WARM_CYCLES, threads_warm,
           rss_warm, fds_warm);
    printf("after %d cycles: threads %ld, RSS %ld KiB (+%ld), fds %ld\n", CYCLES, threads_end,
           rss_end, rss_end - rss_warm, fds_end);
    EXPECT_INT_EQ(0, failures);
    EXPECT_TRUE(threads_warm > 0 && rss_warm > 0 && fds_warm > 0);
    EXPECT_TRUE(threads_end <= threads_warm + THREAD_SLACK);
    EXPECT_TRUE(fds_end <= fds_warm);
    EXPECT_TRUE(rss_end - rss_warm <= RSS_GROWTH_LIMIT_KIB);
    return expect_exit_code("test_cycles");
}
