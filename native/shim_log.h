/*
 * shim_log - the native side's own log lines (JVM discovery and start-up,
 * errors before the engine's logback is configured). Written to stderr with
 * an "ivp2p[native]" prefix; the threshold follows p2p_init_params.log_level
 * of the last iv_avt_p2p_init call (IV_AVT_P2P_LOG_DISABLE silences it).
 */
#ifndef IVP2P_SHIM_LOG_H
#define IVP2P_SHIM_LOG_H

enum shim_log_level {
    SHIM_LOG_ERROR = 1,
    SHIM_LOG_WARN = 2,
    SHIM_LOG_INFO = 3,
    SHIM_LOG_DEBUG = 4
};

/* vendor_level: iv_avt_p2p_log_level_e value; out-of-range values keep WARN. */
void shim_log_set_level(int vendor_level);

void shim_log(enum shim_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
