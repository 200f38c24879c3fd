/*
 * test_parm - a valid iv_p2p_parm_s for tests that are not about the
 * callbacks themselves: stub callbacks that count their calls and refuse
 * every stream, LAN off, logging as given.
 */
#ifndef IVP2P_TEST_PARM_H
#define IVP2P_TEST_PARM_H

#include "iv_av.h"

extern volatile int test_parm_callback_calls;

/* Fills *p with valid values: all seven callbacks set, keep-alive 10 s x 3,
 * log_level as given, log to stderr. */
void test_parm_valid(iv_p2p_parm_s *p, iv_avt_p2p_log_level_e log_level);

#endif
