/*
 * cam_log.h - the sample camera's log lines and clock.
 *
 * Log lines go to stdout, one whole line per call (callbacks log from the
 * SDK's threads at the same time as main). The SDK's own log goes to stderr or
 * its log directory (p2p_init_params); keeping the two apart lets a reader
 * follow what the firmware decided.
 */
#ifndef CAM_LOG_H
#define CAM_LOG_H

#include <stdint.h>

#if defined(__GNUC__)
#define CAM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CAM_PRINTF(a, b)
#endif

/* "[12:34:56.789] camera: <message>". Thread-safe. */
void cam_log(const char *fmt, ...) CAM_PRINTF(1, 2);

/* Milliseconds on CLOCK_MONOTONIC: pacing and timers never follow wall-clock jumps (NTP, RTC set). */
uint64_t cam_now_ms(void);

#endif
