#include "shim_log.h"

#include <stdarg.h>
#include <stdio.h>

/* Default before any init: errors and warnings, so a missing JVM is visible. */
static volatile int shim_log_threshold = SHIM_LOG_WARN;

void shim_log_set_level(int vendor_level)
{
    /* iv_avt_p2p_log_level_e: DISABLE 0 .. VERBOSE 5; VERBOSE logs like DEBUG here. */
    if (vendor_level >= 0 && vendor_level <= 5)
        shim_log_threshold = vendor_level;
}

void shim_log(enum shim_log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"", "ERROR", "WARN", "INFO", "DEBUG"};
    char line[1024];
    va_list ap;

    if ((int)level > shim_log_threshold)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* One fprintf per line so lines from several threads do not interleave. */
    fprintf(stderr, "ivp2p[native] %s %s\n", names[level], line);
}
