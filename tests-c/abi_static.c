/*
 * abi_static.c - the ABI facts of iv_av.h / iv_cm.h / iv_err.h as C11
 * _Static_asserts.
 *
 * Nothing here runs: compiling this file with a target's compiler
 * (-std=c11 -Wall -Wextra -Werror -fsyntax-only -I include) proves the layout
 * on that target, so the ctest suite checks AArch64 and 32-bit ARM with the
 * Debian cross compilers on an x86-64 build host (tests abi_static_host,
 * abi_static_aarch64, abi_static_armhf). abi_layout.c checks the same numbers
 * at run time and derives them from a layout model.
 *
 * Numbers: /work/shared/abi-facts.md, "Layouts" ("LP64 = x86-64/AArch64 Linux;
 * ILP32 = 32-bit ARM EABI, enums 4 bytes") and "Enumerations". Where abi-facts
 * gives only the LP64 offsets, the ILP32 ones are the AAPCS layout (4-byte
 * pointers, size_t and enums; uint64_t 8-aligned), which agrees with the
 * documented ILP32 struct sizes.
 */
#include <stddef.h>
#include <stdint.h>

#include "iv_av.h"
#include "iv_cm.h"
#include "iv_err.h"

#define IVP2P_ALIGNOF(T) _Alignof(T)

/* Pick the data model by the pointer width. */
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu

/* ---- LP64 (x86-64, AArch64 Linux) ---- */
#define IVP2P_PTR 8
#define IVP2P_INIT_PARAMS_SIZE 48
#define IVP2P_NET_INFO_SIZE 88
_Static_assert(sizeof(void *) == 8 && sizeof(size_t) == 8, "LP64: 8-byte pointers and size_t");

/* iv_cm_memory_s: LP64 24 bytes (0, 8, 16) */
_Static_assert(offsetof(iv_cm_memory_s, buf) == 0, "iv_cm_memory_s.buf");
_Static_assert(offsetof(iv_cm_memory_s, size) == 8, "iv_cm_memory_s.size");
_Static_assert(offsetof(iv_cm_memory_s, buf_free_fn) == 16, "iv_cm_memory_s.buf_free_fn");
_Static_assert(sizeof(iv_cm_memory_s) == 24, "sizeof(iv_cm_memory_s)");
_Static_assert(IVP2P_ALIGNOF(iv_cm_memory_s) == 8, "alignof(iv_cm_memory_s)");

/* p2p_init_params_s: LP64 48 bytes */
_Static_assert(offsetof(p2p_init_params_s, log_level) == 0, "p2p_init_params_s.log_level");
_Static_assert(offsetof(p2p_init_params_s, log_file_path) == 8, "p2p_init_params_s.log_file_path");
_Static_assert(offsetof(p2p_init_params_s, log_file_size) == 16, "p2p_init_params_s.log_file_size");
_Static_assert(offsetof(p2p_init_params_s, mtu_size) == 20, "p2p_init_params_s.mtu_size");
_Static_assert(offsetof(p2p_init_params_s, nic_type) == 24, "p2p_init_params_s.nic_type");
_Static_assert(offsetof(p2p_init_params_s, sender_interval_ms) == 28,
               "p2p_init_params_s.sender_interval_ms");
_Static_assert(offsetof(p2p_init_params_s, keepalive_interval_s) == 32,
               "p2p_init_params_s.keepalive_interval_s");
_Static_assert(offsetof(p2p_init_params_s, access_retry_times) == 36,
               "p2p_init_params_s.access_retry_times");
_Static_assert(offsetof(p2p_init_params_s, protocol) == 40, "p2p_init_params_s.protocol");
_Static_assert(sizeof(p2p_init_params_s) == 48, "sizeof(p2p_init_params_s)");
_Static_assert(IVP2P_ALIGNOF(p2p_init_params_s) == 8, "alignof(p2p_init_params_s)");

/* local_net_info_s: LP64 88 bytes */
_Static_assert(offsetof(local_net_info_s, probe_port) == 0, "local_net_info_s.probe_port");
_Static_assert(offsetof(local_net_info_s, trans_port) == 4, "local_net_info_s.trans_port");
_Static_assert(offsetof(local_net_info_s, local_addr) == 8, "local_net_info_s.local_addr");
_Static_assert(offsetof(local_net_info_s, vendor_id) == 72, "local_net_info_s.vendor_id");
_Static_assert(offsetof(local_net_info_s, device_id) == 80, "local_net_info_s.device_id");
_Static_assert(sizeof(local_net_info_s) == 88, "sizeof(local_net_info_s)");
_Static_assert(IVP2P_ALIGNOF(local_net_info_s) == 8, "alignof(local_net_info_s)");

/* iv_p2p_parm_s: LP64 200 bytes; callbacks at 0, 8, ..., 48; keep-alive 56,
 * init params 64, net_info 112 */
_Static_assert(offsetof(iv_p2p_parm_s, p2p_handle_send_init_cb) == 0, "send_init_cb");
_Static_assert(offsetof(iv_p2p_parm_s, p2p_handle_send_get_cb) == 8, "send_get_cb");
_Static_assert(offsetof(iv_p2p_parm_s, p2p_handle_send_stop_cb) == 16, "send_stop_cb");
_Static_assert(offsetof(iv_p2p_parm_s, p2p_handle_event_notify_cb) == 24, "event_notify_cb");
_Static_assert(offsetof(iv_p2p_parm_s, p2p_handle_recv_init_cb) == 32, "recv_init_cb");
_Static_assert(offsetof(iv_p2p_parm_s, p2p_handle_recv_voice_cb) == 40, "recv_voice_cb");
_Static_assert(offsetof(iv_p2p_parm_s, p2p_handle_command_cb) == 48, "command_cb");
_Static_assert(offsetof(iv_p2p_parm_s, p2p_keep_alive) == 56, "iv_p2p_parm_s.p2p_keep_alive");
_Static_assert(offsetof(iv_p2p_parm_s, p2p_init_params) == 64, "iv_p2p_parm_s.p2p_init_params");
_Static_assert(offsetof(iv_p2p_parm_s, net_info) == 112, "iv_p2p_parm_s.net_info");
_Static_assert(sizeof(iv_p2p_parm_s) == 200, "sizeof(iv_p2p_parm_s)");
_Static_assert(IVP2P_ALIGNOF(iv_p2p_parm_s) == 8, "alignof(iv_p2p_parm_s)");

#else

/* ---- ILP32, 32-bit ARM EABI (AAPCS) ---- */
#define IVP2P_PTR 4
#define IVP2P_INIT_PARAMS_SIZE 36
#define IVP2P_NET_INFO_SIZE 80
_Static_assert(sizeof(void *) == 4 && sizeof(size_t) == 4, "ILP32: 4-byte pointers and size_t");

/* iv_cm_memory_s: ILP32 12 bytes */
_Static_assert(offsetof(iv_cm_memory_s, buf) == 0, "iv_cm_memory_s.buf");
_Static_assert(offsetof(iv_cm_memory_s, size) == 4, "iv_cm_memory_s.size");
_Static_assert(offsetof(iv_cm_memory_s, buf_free_fn) == 8, "iv_cm_memory_s.buf_free_fn");
_Static_assert(sizeof(iv_cm_memory_s) == 12, "sizeof(iv_cm_memory_s)");
_Static_assert(IVP2P_ALIGNOF(iv_cm_memory_s) == 4, "alignof(iv_cm_memory_s)");

/* p2p_init_params_s: ILP32 36 bytes */
_Static_assert(offsetof(p2p_init_params_s, log_level) == 0, "p2p_init_params_s.log_level");
_Static_assert(offsetof(p2p_init_params_s, log_file_path) == 4, "p2p_init_params_s.log_file_path");
_Static_assert(offsetof(p2p_init_params_s, log_file_size) == 8, "p2p_init_params_s.log_file_size");
_Static_assert(offsetof(p2p_init_params_s, mtu_size) == 12, "p2p_init_params_s.mtu_size");
_Static_assert(offsetof(p2p_init_params_s, nic_type) == 16, "p2p_init_params_s.nic_type");
_Static_assert(offsetof(p2p_init_params_s, sender_interval_ms) == 20,
               "p2p_init_params_s.sender_interval_ms");
_Static_assert(offsetof(p2p_init_params_s, keepalive_interval_s) == 24,
               "p2p_init_params_s.keepalive_interval_s");
_Static_assert(offsetof(p2p_init_params_s, access_retry_times) == 28,
               "p2p_init_params_s.access_retry_times");
_Static_assert(offsetof(p2p_init_params_s, protocol) == 32, "p2p_init_params_s.protocol");
_Static_assert(sizeof(p2p_init_params_s) == 36, "sizeof(p2p_init_params_s)");
_Static_assert(IVP2P_ALIGNOF(p2p_init_params_s) == 4, "alignof(p2p_init_params_s)");

/* local_net_info_s: ILP32 80 bytes */
_Static_assert(offsetof(local_net_info_s, probe_port) == 0, "local_net_info_s.probe_port");
_Static_assert(offsetof(local_net_info_s, trans_port) == 4, "local_net_info_s.trans_port");
_Static_assert(offsetof(local_net_info_s, local_addr) == 8, "local_net_info_s.local_addr");
_Static_assert(offsetof(local_net_info_s, vendor_id) == 72, "local_net_info_s.vendor_id");
_Static_assert(offsetof(local_net_info_s, device_id) == 76, "local_net_info_s.device_id");
_Static_assert(sizeof(local_net_info_s) == 80, "sizeof(local_net_info_s)");
_Static_assert(IVP2P_ALIGNOF(local_net_info_s) == 4, "alignof(local_net_info_s)");

/* iv_p2p_parm_s: ILP32 148 bytes; callbacks at 0, 4, ..., 24; "(ILP32: 28, 32, 68.)" */
_Static_assert(offsetof(iv_p2p_parm_s, p2p_handle_send_init_cb) == 0, "send_init_cb");
_Static_assert(offsetof(iv_p2p_parm_s, p2p_handle_send_get_cb) == 4, "send_get_cb");
_Static_assert(offsetof(iv_p2p_parm_s, p2p_handle_send_stop_cb) == 8, "send_stop_cb");
_Static_assert(offsetof(iv_p2p_parm_s, p2p_handle_event_notify_cb) == 12, "event_notify_cb");
_Static_assert(offsetof(iv_p2p_parm_s, p2p_handle_recv_init_cb) == 16, "recv_init_cb");
_Static_assert(offsetof(iv_p2p_parm_s, p2p_handle_recv_voice_cb) == 20, "recv_voice_cb");
_Static_assert(offsetof(iv_p2p_parm_s, p2p_handle_command_cb) == 24, "command_cb");
_Static_assert(offsetof(iv_p2p_parm_s, p2p_keep_alive) == 28, "iv_p2p_parm_s.p2p_keep_alive");
_Static_assert(offsetof(iv_p2p_parm_s, p2p_init_params) == 32, "iv_p2p_parm_s.p2p_init_params");
_Static_assert(offsetof(iv_p2p_parm_s, net_info) == 68, "iv_p2p_parm_s.net_info");
_Static_assert(sizeof(iv_p2p_parm_s) == 148, "sizeof(iv_p2p_parm_s)");
_Static_assert(IVP2P_ALIGNOF(iv_p2p_parm_s) == 4, "alignof(iv_p2p_parm_s)");

#endif

/* ---- the same in both data models ---- */

/* avt_xp2p_ops_s: "2 bytes, alignment 1" */
_Static_assert(offsetof(avt_xp2p_ops_s, time_inter_s) == 0, "avt_xp2p_ops_s.time_inter_s");
_Static_assert(offsetof(avt_xp2p_ops_s, max_attempt_num) == 1, "avt_xp2p_ops_s.max_attempt_num");
_Static_assert(sizeof(avt_xp2p_ops_s) == 2, "sizeof(avt_xp2p_ops_s)");
_Static_assert(IVP2P_ALIGNOF(avt_xp2p_ops_s) == 1, "alignof(avt_xp2p_ops_s)");

/* iv_p2p_send_stats_s: LP64 24 bytes (0, 4, 8, 16). On ARM EABI uint64_t is
 * 8-aligned inside structs too, so ILP32 ARM is the same; i386 (4-aligned
 * uint64_t, 20 bytes) would fail here and is not a vendor SDK target. */
_Static_assert(offsetof(iv_p2p_send_stats_s, inst_net_rate) == 0, "send_stats.inst_net_rate");
_Static_assert(offsetof(iv_p2p_send_stats_s, ave_sent_rate) == 4, "send_stats.ave_sent_rate");
_Static_assert(offsetof(iv_p2p_send_stats_s, sum_sent_acked) == 8, "send_stats.sum_sent_acked");
_Static_assert(offsetof(iv_p2p_send_stats_s, link_mode) == 16, "send_stats.link_mode");
_Static_assert(sizeof(iv_p2p_send_stats_s) == 24, "sizeof(iv_p2p_send_stats_s)");
_Static_assert(IVP2P_ALIGNOF(iv_p2p_send_stats_s) == 8, "alignof(iv_p2p_send_stats_s)");

/* Every member's size: offsets alone do not pin down the last member of a
 * struct or a member followed by padding (a uint16_t mtu_size would keep all
 * offsets). IVP2P_PTR is the pointer/size_t width of the data model. */
#define IVP2P_MSIZE(S, m, n) _Static_assert(sizeof(((S *)0)->m) == (n), "sizeof " #S "." #m)

IVP2P_MSIZE(iv_cm_memory_s, buf, IVP2P_PTR);
IVP2P_MSIZE(iv_cm_memory_s, size, IVP2P_PTR);
IVP2P_MSIZE(iv_cm_memory_s, buf_free_fn, IVP2P_PTR);
IVP2P_MSIZE(avt_xp2p_ops_s, time_inter_s, 1);
IVP2P_MSIZE(avt_xp2p_ops_s, max_attempt_num, 1);
IVP2P_MSIZE(p2p_init_params_s, log_level, 4);
IVP2P_MSIZE(p2p_init_params_s, log_file_path, IVP2P_PTR);
IVP2P_MSIZE(p2p_init_params_s, log_file_size, 4);
IVP2P_MSIZE(p2p_init_params_s, mtu_size, 4);
IVP2P_MSIZE(p2p_init_params_s, nic_type, 4);
IVP2P_MSIZE(p2p_init_params_s, sender_interval_ms, 4);
IVP2P_MSIZE(p2p_init_params_s, keepalive_interval_s, 4);
IVP2P_MSIZE(p2p_init_params_s, access_retry_times, 4);
IVP2P_MSIZE(p2p_init_params_s, protocol, 4);
IVP2P_MSIZE(local_net_info_s, probe_port, 4);
IVP2P_MSIZE(local_net_info_s, trans_port, 4);
IVP2P_MSIZE(local_net_info_s, local_addr, 64);
IVP2P_MSIZE(local_net_info_s, vendor_id, IVP2P_PTR);
IVP2P_MSIZE(local_net_info_s, device_id, IVP2P_PTR);
IVP2P_MSIZE(iv_p2p_send_stats_s, inst_net_rate, 4);
IVP2P_MSIZE(iv_p2p_send_stats_s, ave_sent_rate, 4);
IVP2P_MSIZE(iv_p2p_send_stats_s, sum_sent_acked, 8);
IVP2P_MSIZE(iv_p2p_send_stats_s, link_mode, 4);
IVP2P_MSIZE(iv_p2p_parm_s, p2p_handle_send_init_cb, IVP2P_PTR);
IVP2P_MSIZE(iv_p2p_parm_s, p2p_handle_send_get_cb, IVP2P_PTR);
IVP2P_MSIZE(iv_p2p_parm_s, p2p_handle_send_stop_cb, IVP2P_PTR);
IVP2P_MSIZE(iv_p2p_parm_s, p2p_handle_event_notify_cb, IVP2P_PTR);
IVP2P_MSIZE(iv_p2p_parm_s, p2p_handle_recv_init_cb, IVP2P_PTR);
IVP2P_MSIZE(iv_p2p_parm_s, p2p_handle_recv_voice_cb, IVP2P_PTR);
IVP2P_MSIZE(iv_p2p_parm_s, p2p_handle_command_cb, IVP2P_PTR);
IVP2P_MSIZE(iv_p2p_parm_s, p2p_keep_alive, 2);
IVP2P_MSIZE(iv_p2p_parm_s, p2p_init_params, IVP2P_INIT_PARAMS_SIZE);
IVP2P_MSIZE(iv_p2p_parm_s, net_info, IVP2P_NET_INFO_SIZE);

/* Enumerations: "enums 4 bytes" */
_Static_assert(sizeof(iv_avt_event_e) == 4, "sizeof(iv_avt_event_e)");
_Static_assert(sizeof(iv_avt_p2p_log_level_e) == 4, "sizeof(iv_avt_p2p_log_level_e)");
_Static_assert(sizeof(iv_avt_p2p_nic_type_e) == 4, "sizeof(iv_avt_p2p_nic_type_e)");
_Static_assert(sizeof(iv_avt_p2p_tp_type_e) == 4, "sizeof(iv_avt_p2p_tp_type_e)");
_Static_assert(sizeof(iv_err_code_e) == 4, "sizeof(iv_err_code_e)");

_Static_assert(IV_AVT_EVENT_P2P_PEER_READY == 0, "PEER_READY");
_Static_assert(IV_AVT_EVENT_P2P_PEER_CONNECT_FAIL == 1, "PEER_CONNECT_FAIL");
_Static_assert(IV_AVT_EVENT_P2P_PEER_ERROR == 2, "PEER_ERROR");
_Static_assert(IV_AVT_EVENT_P2P_PEER_ADDR_CHANGED == 3, "PEER_ADDR_CHANGED");
_Static_assert(IV_AVT_EVENT_P2P_WATERMARK_LOW == 4, "WATERMARK_LOW");
_Static_assert(IV_AVT_EVENT_P2P_WATERMARK_WARN == 5, "WATERMARK_WARN");
_Static_assert(IV_AVT_EVENT_P2P_WATERMARK_HIGH == 6, "WATERMARK_HIGH");
_Static_assert(IV_AVT_EVENT_P2P_LOCAL_NET_READY == 7, "LOCAL_NET_READY");
_Static_assert(IV_AVT_EVENT_P2P_LINK_DISCONNECT == 8, "LINK_DISCONNECT");
_Static_assert(IV_AVT_EVENT_P2P_CLI_SEND_CLOSE == 9, "CLI_SEND_CLOSE");
_Static_assert(IV_AVT_EVENT_P2P_BUTT == 10, "BUTT");

_Static_assert(IV_AVT_P2P_LOG_DISABLE == 0, "LOG_DISABLE");
_Static_assert(IV_AVT_P2P_LOG_ERROR == 1, "LOG_ERROR");
_Static_assert(IV_AVT_P2P_LOG_WARN == 2, "LOG_WARN");
_Static_assert(IV_AVT_P2P_LOG_INFO == 3, "LOG_INFO");
_Static_assert(IV_AVT_P2P_LOG_DEBUG == 4, "LOG_DEBUG");
_Static_assert(IV_AVT_P2P_LOG_VERBOSE == 5, "LOG_VERBOSE");

_Static_assert(IV_AVT_P2P_NIC_NORMAL == 0, "NIC_NORMAL");
_Static_assert(IV_AVT_P2P_NIC_NAT_EX == 1, "NIC_NAT_EX");

_Static_assert(IV_AVT_P2P_UDP == 0, "UDP");
_Static_assert(IV_AVT_P2P_TCP == 1, "TCP");

_Static_assert(IV_ERR_NONE == 0, "IV_ERR_NONE");
_Static_assert(IV_ERR_SYS_MALLOC_FAIL == -108, "IV_ERR_SYS_MALLOC_FAIL");
_Static_assert(IV_ERR_AVT_INIT_PRM_NULL == -300, "IV_ERR_AVT_INIT_PRM_NULL");
_Static_assert(IV_ERR_AVT_INIT_CB_NULL == -301, "IV_ERR_AVT_INIT_CB_NULL");
_Static_assert(IV_ERR_AVT_INIT_PRM_RANGE == -302, "IV_ERR_AVT_INIT_PRM_RANGE");
_Static_assert(IV_ERR_AVT_REQ_CHN_BUSY == -303, "IV_ERR_AVT_REQ_CHN_BUSY");
_Static_assert(IV_ERR_AVT_SEND_STREAM_TOO_BIG == -304, "IV_ERR_AVT_SEND_STREAM_TOO_BIG");
_Static_assert(IV_ERR_AVT_CHN_NOT_EXIT == -305, "IV_ERR_AVT_CHN_NOT_EXIT");
_Static_assert(IV_ERR_AVT_NEED_IDR_FRAME == -306, "IV_ERR_AVT_NEED_IDR_FRAME");
_Static_assert(IV_ERR_AVT_MALLOC_BUFFER_FAILED == -307, "IV_ERR_AVT_MALLOC_BUFFER_FAILED");
_Static_assert(IV_ERR_AVT_FAILED == -308, "IV_ERR_AVT_FAILED");
_Static_assert(IV_ERR_AVT_INPUT_PARAM_NULL == -309, "IV_ERR_AVT_INPUT_PARAM_NULL");
_Static_assert(IV_ERR_AVT_INPUT_PARAM_INVAILD == -310, "IV_ERR_AVT_INPUT_PARAM_INVAILD");
_Static_assert(IV_ERR_AVT_SEND_DATA_TIMEOUT == -311, "IV_ERR_AVT_SEND_DATA_TIMEOUT");
_Static_assert(IV_ERR_AVT_STATE_ERROR == -312, "IV_ERR_AVT_STATE_ERROR");
_Static_assert(IV_ERR_AVT_VIDEO_DATA_ERROR == -313, "IV_ERR_AVT_VIDEO_DATA_ERROR");
_Static_assert(IV_ERR_DEVICE_OFFLINE == -1001, "IV_ERR_DEVICE_OFFLINE");

/* Callback and function types, via C11 _Generic: a signature that drifts
 * from the documented one (abi-facts.md, "Callbacks, in struct order" and
 * "Exported functions") selects the default association and fails. */
#define IVP2P_HAS_TYPE(expr, type) _Generic((expr), type: 1, default: 0)
#define IVP2P_MEMBER(S, m) (((S *)0)->m)

_Static_assert(IVP2P_HAS_TYPE(IVP2P_MEMBER(iv_cm_memory_s, buf_free_fn), void (*)(uint8_t *, size_t)),
               "iv_cm_memory_s.buf_free_fn type");
_Static_assert(IVP2P_HAS_TYPE(IVP2P_MEMBER(iv_p2p_parm_s, p2p_handle_send_init_cb),
                              void *(*)(const char *, const char *)), "send_init_cb type");
_Static_assert(IVP2P_HAS_TYPE(IVP2P_MEMBER(iv_p2p_parm_s, p2p_handle_send_get_cb),
                              iv_cm_memory_s (*)(void *)), "send_get_cb type");
_Static_assert(IVP2P_HAS_TYPE(IVP2P_MEMBER(iv_p2p_parm_s, p2p_handle_send_stop_cb),
                              int (*)(void *)), "send_stop_cb type");
_Static_assert(IVP2P_HAS_TYPE(IVP2P_MEMBER(iv_p2p_parm_s, p2p_handle_event_notify_cb),
                              void (*)(iv_avt_event_e, void *)), "event_notify_cb type");
_Static_assert(IVP2P_HAS_TYPE(IVP2P_MEMBER(iv_p2p_parm_s, p2p_handle_recv_init_cb),
                              void *(*)(const char *, const char *)), "recv_init_cb type");
_Static_assert(IVP2P_HAS_TYPE(IVP2P_MEMBER(iv_p2p_parm_s, p2p_handle_recv_voice_cb),
                              void (*)(void *, uint8_t *, size_t)), "recv_voice_cb type");
_Static_assert(IVP2P_HAS_TYPE(IVP2P_MEMBER(iv_p2p_parm_s, p2p_handle_command_cb),
                              iv_cm_memory_s (*)(const char *, size_t, const char *)),
               "command_cb type");

_Static_assert(IVP2P_HAS_TYPE(&iv_avt_p2p_init, int (*)(const iv_p2p_parm_s *)),
               "iv_avt_p2p_init prototype");
_Static_assert(IVP2P_HAS_TYPE(&iv_avt_p2p_exit, int (*)(void)), "iv_avt_p2p_exit prototype");
_Static_assert(IVP2P_HAS_TYPE(&iv_avt_p2p_set_buf_watermark, int (*)(size_t, size_t, size_t)),
               "iv_avt_p2p_set_buf_watermark prototype");
_Static_assert(IVP2P_HAS_TYPE(&iv_avt_p2p_get_send_buf, size_t (*)(void *)),
               "iv_avt_p2p_get_send_buf prototype");
_Static_assert(IVP2P_HAS_TYPE(&iv_avt_p2p_get_send_status, iv_p2p_send_stats_s (*)(void *)),
               "iv_avt_p2p_get_send_status prototype");
_Static_assert(IVP2P_HAS_TYPE(&iv_avt_p2p_send_command,
                              int (*)(const char *, const char *, size_t, unsigned char *,
                                      size_t *, uint32_t)),
               "iv_avt_p2p_send_command prototype");
