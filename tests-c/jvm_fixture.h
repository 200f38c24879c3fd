/*
 * jvm_fixture - test-only access to the engine's JVM, in the manner of
 * libhdfs' native mini-cluster: once iv_avt_p2p_init has started the JVM,
 * a test finds it in its own process (no extra exports in libiv_p2p) and
 * calls static test drivers in the engine's test jar (io.ivp2p.testkit.*),
 * which the test runner puts on IVP2P_CLASSPATH.
 *
 * Also small /proc readers for the resource-bound tests.
 */
#ifndef IVP2P_TEST_JVM_FIXTURE_H
#define IVP2P_TEST_JVM_FIXTURE_H

#include <stddef.h>

/* Calls static String <class>.<method>(String arg) (class in JNI form,
 * e.g. "io/ivp2p/testkit/Probe"). Copies the result (UTF-8) into out.
 * Returns 0, or -1 after printing why (no JVM, no class, exception, NULL). */
int fixture_call(const char *class_name, const char *method, const char *arg, char *out,
                 size_t out_size);

/* 1 when a libjvm is loaded in this process, else 0. */
int fixture_jvm_loaded(void);

/* Threads of this process (/proc/self/status), its resident set in KiB, and
 * its open file descriptors. -1 on error. */
long fixture_os_threads(void);
long fixture_rss_kib(void);
long fixture_open_fds(void);

/* Redirects stderr into a temporary file until fixture_stderr_end, which
 * restores it and returns what was written (up to out_size - 1 bytes), also
 * echoing it to the real stderr so ctest logs keep it. */
int fixture_stderr_begin(void);
int fixture_stderr_end(char *out, size_t out_size);

#endif
