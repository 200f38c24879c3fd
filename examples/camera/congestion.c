#include "congestion.h"

#include <stdio.h>

#include "cam_log.h"
#include "streams.h"

void cong_init(cong_state *s, uint32_t hold_ms)
{
    s->level = CONG_FULL;
    s->step_up_at = 0;
    s->hold_ms = hold_ms;
}

int cong_on_event(cong_state *s, iv_avt_event_e ev, uint64_t now_ms)
{
    cong_level before = s->level;

    switch (ev) {
    case IV_AVT_EVENT_P2P_WATERMARK_WARN:
        if (s->level < CONG_LOW_BITRATE)
            s->level = CONG_LOW_BITRATE;
        s->step_up_at = 0;
        break;
    case IV_AVT_EVENT_P2P_WATERMARK_HIGH:
        s->level = CONG_KEY_ONLY;
        s->step_up_at = 0;
        break;
    case IV_AVT_EVENT_P2P_WATERMARK_LOW:
        if (s->level > CONG_FULL)
            s->step_up_at = now_ms + s->hold_ms;
        break;
    default:
        break;
    }
    return s->level != before;
}

int cong_tick(cong_state *s, uint64_t now_ms)
{
    if (s->step_up_at == 0 || now_ms < s->step_up_at || s->level == CONG_FULL)
        return 0;
    s->level--;
    s->step_up_at = s->level > CONG_FULL ? now_ms + s->hold_ms : 0;
    return 1;
}

const char *cong_level_name(cong_level level)
{
    switch (level) {
    case CONG_FULL: return "full";
    case CONG_LOW_BITRATE: return "low_bitrate";
    case CONG_KEY_ONLY: return "key_frames_only";
    }
    return "?";
}

const char *cong_event_name(iv_avt_event_e ev)
{
    switch (ev) {
    case IV_AVT_EVENT_P2P_PEER_READY: return "PEER_READY";
    case IV_AVT_EVENT_P2P_PEER_CONNECT_FAIL: return "PEER_CONNECT_FAIL";
    case IV_AVT_EVENT_P2P_PEER_ERROR: return "PEER_ERROR";
    case IV_AVT_EVENT_P2P_PEER_ADDR_CHANGED: return "PEER_ADDR_CHANGED";
    case IV_AVT_EVENT_P2P_WATERMARK_LOW: return "WATERMARK_LOW";
    case IV_AVT_EVENT_P2P_WATERMARK_WARN: return "WATERMARK_WARN";
    case IV_AVT_EVENT_P2P_WATERMARK_HIGH: return "WATERMARK_HIGH";
    case IV_AVT_EVENT_P2P_LOCAL_NET_READY: return "LOCAL_NET_READY";
    case IV_AVT_EVENT_P2P_LINK_DISCONNECT: return "LINK_DISCONNECT";
    case IV_AVT_EVENT_P2P_CLI_SEND_CLOSE: return "CLI_SEND_CLOSE";
    default: return "UNKNOWN";
    }
}

int cong_set_watermarks(void)
{
    return iv_avt_p2p_set_buf_watermark(CONG_LOW_MARK, CONG_WARN_MARK, CONG_HIGH_MARK);
}

static const char *link_mode_name(uint32_t mode)
{
    return mode == 1 ? "direct" : mode == 2 ? "relay" : "none";
}

void cong_print_stats(void)
{
    stream_info info[STREAMS_MAX];
    size_t n = streams_snapshot(info, STREAMS_MAX), i;

    for (i = 0; i < n; i++) {
        /* Asked outside every lock of ours: the SDK may be calling into us at the same time. */
        size_t buffered = iv_avt_p2p_get_send_buf(info[i].handle);
        iv_p2p_send_stats_s st = iv_avt_p2p_get_send_status(info[i].handle);
        cam_log("stats stream=%u %s peer=%s %s sent=%llu frames=%llu dropped=%llu send_buf=%zu "
                "inst_rate=%u ave_rate=%u acked=%llu link=%s",
                info[i].id, info[i].action, info[i].peer, info[i].detail, (unsigned long long)info[i].bytes,
                (unsigned long long)info[i].frames, (unsigned long long)info[i].dropped, buffered,
                st.inst_net_rate, st.ave_sent_rate, (unsigned long long)st.sum_sent_acked,
                link_mode_name(st.link_mode));
    }
}
