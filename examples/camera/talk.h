/*
 * talk.h - talk (the app's microphone to the camera's speaker):
 * p2p_handle_recv_init_cb and p2p_handle_recv_voice_cb.
 *
 * Each talk is written to its own file, <talk dir>/talk_<unix time>_<n>.raw,
 * holding the bytes exactly as the app sent them (the app chooses the codec,
 * usually G.711 or AAC; the params of the request say which, and are
 * logged). A camera would decode them to its speaker instead.
 *
 * One talk at a time: the camera has one speaker. A second app gets "refused"
 * until the first one ends.
 */
#ifndef CAM_TALK_H
#define CAM_TALK_H

#include <stddef.h>
#include <stdint.h>

/* dir must exist (main creates it). */
void talk_setup(const char *dir);

void *talk_on_recv_init(const char *params, const char *peer);
/* (NULL, 0) ends the talk: the file is closed. */
void talk_on_recv_voice(void *handle, uint8_t *recv_buf, size_t recv_len);

int talk_count(void);

/* After iv_avt_p2p_exit: returns how many talks were left open (0: the SDK
 * ended every one, as it must), closing their files. */
int talk_teardown(void);

#endif
