/*
 * A missing JVM, missing engine jars or a bad JVM option must give a clear
 * log line and an IV_ERR_* code, never a crash or an exit. Run once per case
 * (each case needs a process without a JVM), selected by argv[1]; the test
 * registration sets the environment that breaks the start-up:
 *   libjvm-missing   IVP2P_LIBJVM=<no such file>   -> retried on the next init
 *   jars-missing     IVP2P_JAR_DIR=<empty dir>     -> retried on the next init
 *   bad-option       IVP2P_JVM_OPTIONS=-XX:+NoSuchOption -> fails fast afterwards
 *   bad-heap         IVP2P_JVM_OPTIONS=-Xms256m -Xmx128m: HotSpot would exit
 *                    the process during JNI_CreateJavaVM -> fails fast afterwards
 *   config-missing   IVP2P_CONFIG=<no such file>   -> retried on the next init
 *   config-typo      IVP2P_CONFIG=<a file with jvm.optoins> -> retried on the next init
 *   jna-stub-missing IVP2P_JAR_DIR=<the jars without libjnidispatch.so>
 *                    -> JNA may not extract a stub of its own (jna.nounpack):
 *                       the engine refuses to start, and fails fast afterwards
 *   java-too-old     IVP2P_JAR_DIR=<the jars, entry class of a future class-file
 *                    version> -> the runtime is named too old, not the class "not found";
 *                       fails fast afterwards (a process has one JVM, for good)
 */
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "iv_av.h"
#include "jvm_fixture.h"
#include "test_parm.h"

static int init_and_capture(iv_p2p_parm_s *parm, char *log, size_t size)
{
    int rc;
    fixture_stderr_begin();
    rc = iv_avt_p2p_init(parm);
    fixture_stderr_end(log, size);
    return rc;
}

int main(int argc, char **argv)
{
    static char log[64 * 1024];
    const char *mode = argc > 1 ? argv[1] : "";
    const char *expected_line;
    iv_p2p_parm_s parm;

    if (strcmp(mode, "libjvm-missing") == 0)
        expected_line = "libjvm from IVP2P_LIBJVM";
    else if (strcmp(mode, "jars-missing") == 0)
        expected_line = "no engine jars";
    else if (strcmp(mode, "bad-option") == 0)
        expected_line = "JNI_CreateJavaVM failed";
    else if (strcmp(mode, "bad-heap") == 0)
        expected_line = "the JVM gave up while starting";
    else if (strcmp(mode, "config-missing") == 0)
        expected_line = "IVP2P_CONFIG=";
    else if (strcmp(mode, "config-typo") == 0)
        expected_line = "typo.conf:2: unknown key 'jvm.optoins' (known: jvm.libjvm, jvm.jar_dir, jvm.classpath, "
                        "jvm.options, and the engine's device.* keys)";
    else if (strcmp(mode, "jna-stub-missing") == 0)
        expected_line = "JNA's native stub did not load";
    else if (strcmp(mode, "java-too-old") == 0)
        expected_line = "the engine needs Java 17 or newer";
    else {
        fprintf(stderr, "usage: %s libjvm-missing|jars-missing|bad-option|bad-heap|config-missing|"
                        "config-typo|"
                        "jna-stub-missing|java-too-old\n", argv[0]);
        return 2;
    }

    test_parm_valid(&parm, IV_AVT_P2P_LOG_ERROR);
    EXPECT_INT_EQ(IV_ERR_AVT_FAILED, init_and_capture(&parm, log, sizeof log));
    EXPECT_TRUE(strstr(log, expected_line) != NULL);

    /* Still alive, still answering, and a second attempt fails the same clear way. */
    EXPECT_INT_EQ(IV_ERR_AVT_FAILED, init_and_capture(&parm, log, sizeof log));
    if (strcmp(mode, "bad-option") == 0 || strcmp(mode, "bad-heap") == 0 ||
        strcmp(mode, "jna-stub-missing") == 0 || strcmp(mode, "java-too-old") == 0)
        EXPECT_TRUE(strstr(log, "failed to start earlier in this process") != NULL);
    else
        EXPECT_TRUE(strstr(log, expected_line) != NULL);
    EXPECT_INT_EQ(IV_ERR_AVT_STATE_ERROR, iv_avt_p2p_exit());
    EXPECT_UINT_EQ(0, iv_avt_p2p_get_send_buf(&parm));

    /* Logging disabled: the failure is still reported by its code, silently. */
    parm.p2p_init_params.log_level = IV_AVT_P2P_LOG_DISABLE;
    EXPECT_INT_EQ(IV_ERR_AVT_FAILED, init_and_capture(&parm, log, sizeof log));
    EXPECT_TRUE(strstr(log, "ivp2p[native]") == NULL);
    return expect_exit_code(mode);
}
