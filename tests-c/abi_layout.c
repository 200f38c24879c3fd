/*
 * abi_layout.c - the ABI facts of iv_av.h / iv_cm.h / iv_err.h, checked at run time.
 *
 * Firmware compiled against the vendor's revision C header must link against
 * libiv_p2p and run unchanged, so every struct member must sit at the vendor's
 * offset and every enumerator must have the vendor's value
 * (/work/shared/abi-facts.md, "Layouts" and "Enumerations").
 *
 * The test has three parts:
 *  (a) A layout model. One table row per struct member gives the member's
 *      size and alignment in each data model (LP64 = x86-64/AArch64 Linux,
 *      ILP32 = 32-bit ARM EABI) and the documented offsets. The model lays
 *      out each struct by the C rules (align every member, pad the struct to
 *      its largest alignment) and must reproduce the documented offsets and
 *      sizes in BOTH data models - so the ILP32 facts are checked even on an
 *      LP64 build host.
 *  (b) The host compiler's real offsetof/sizeof/alignment of every struct and
 *      member must equal the model for the host's data model (picked by
 *      sizeof(void *)). A member added to or dropped from a header shows up
 *      here as a size or member-count mismatch.
 *  (c) Every enumerator and error code against the documented numbers, and
 *      every enum type 4 bytes.
 *
 * abi_static.c states the same numbers as _Static_asserts so that a cross
 * compiler can prove them for a target without running anything.
 *
 * Note: the ILP32 model is ARM EABI (AAPCS), where uint64_t is 8-aligned
 * inside structs. On i386 it is 4-aligned, so iv_p2p_send_stats_s would be
 * 20 bytes there; i386 is not a target of the vendor SDK.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "iv_av.h"
#include "iv_cm.h"
#include "iv_err.h"

#include "expect.h"

enum { M_LP64, M_ILP32, M_COUNT };
static const char *const model_name[M_COUNT] = { "LP64", "ILP32 ARM EABI" };

/* A member type: its size and alignment per data model, or a nested struct
 * whose size and alignment the model computes first. */
typedef struct {
    unsigned size[M_COUNT];
    unsigned align[M_COUNT];
    const char *nested; /* name of a struct in struct_facts, or NULL */
} type_fact;

/*                         {LP64, ILP32} size, {LP64, ILP32} align */
#define T_PTR           { { 8, 4 },   { 8, 4 }, NULL } /* data and function pointers */
#define T_SIZE          { { 8, 4 },   { 8, 4 }, NULL } /* size_t */
#define T_ENUM          { { 4, 4 },   { 4, 4 }, NULL } /* "enums 4 bytes" (not -fshort-enums) */
#define T_INT           { { 4, 4 },   { 4, 4 }, NULL } /* int, uint32_t */
#define T_U64           { { 8, 8 },   { 8, 8 }, NULL } /* uint64_t: 8-aligned in AAPCS too */
#define T_U8            { { 1, 1 },   { 1, 1 }, NULL }
#define T_CHAR64        { { 64, 64 }, { 1, 1 }, NULL } /* char[64] */
#define T_STRUCT(name)  { { 0, 0 },   { 0, 0 }, #name }

#define NODOC (-1L)

typedef struct {
    const char *strct;
    const char *member;
    type_fact type;
    long doc_off[M_COUNT]; /* expected offset per data model, NODOC if none */
    size_t host_off;       /* what the host compiler did */
    size_t host_size;
    unsigned model_off[M_COUNT]; /* filled in by the model */
} member_fact;

#define ROW(S, M, T, off_lp64, off_ilp32) \
    { #S, #M, T, { off_lp64, off_ilp32 }, offsetof(S, M), sizeof(((S *)0)->M), { 0, 0 } }

/*
 * Offsets. LP64 columns are abi-facts.md's; the ILP32 offsets abi-facts gives
 * are iv_p2p_parm_s' p2p_keep_alive 28, p2p_init_params 32, net_info 68. The
 * other ILP32 offsets follow from AAPCS (4-byte pointers, size_t and enums,
 * 8-byte aligned uint64_t) and are the numbers abi_static.c asserts on the
 * armhf cross compiler; they agree with the documented ILP32 struct sizes.
 */
static member_fact members[] = {
    /* iv_cm_memory_s - LP64 24 bytes (0, 8, 16); ILP32 12 */
    ROW(iv_cm_memory_s, buf,         T_PTR,  0, 0),
    ROW(iv_cm_memory_s, size,        T_SIZE, 8, 4),
    ROW(iv_cm_memory_s, buf_free_fn, T_PTR, 16, 8),

    /* avt_xp2p_ops_s - 2 bytes, alignment 1 */
    ROW(avt_xp2p_ops_s, time_inter_s,    T_U8, 0, 0),
    ROW(avt_xp2p_ops_s, max_attempt_num, T_U8, 1, 1),

    /* p2p_init_params_s - LP64 48 bytes, ILP32 36 */
    ROW(p2p_init_params_s, log_level,            T_ENUM,  0,  0),
    ROW(p2p_init_params_s, log_file_path,        T_PTR,   8,  4),
    ROW(p2p_init_params_s, log_file_size,        T_INT,  16,  8),
    ROW(p2p_init_params_s, mtu_size,             T_INT,  20, 12),
    ROW(p2p_init_params_s, nic_type,             T_ENUM, 24, 16),
    ROW(p2p_init_params_s, sender_interval_ms,   T_INT,  28, 20),
    ROW(p2p_init_params_s, keepalive_interval_s, T_INT,  32, 24),
    ROW(p2p_init_params_s, access_retry_times,   T_INT,  36, 28),
    ROW(p2p_init_params_s, protocol,             T_ENUM, 40, 32),

    /* local_net_info_s - LP64 88 bytes (ILP32 80) */
    ROW(local_net_info_s, probe_port, T_INT,     0,  0),
    ROW(local_net_info_s, trans_port, T_INT,     4,  4),
    ROW(local_net_info_s, local_addr, T_CHAR64,  8,  8),
    ROW(local_net_info_s, vendor_id,  T_PTR,    72, 72),
    ROW(local_net_info_s, device_id,  T_PTR,    80, 76),

    /* iv_p2p_send_stats_s - LP64 24 bytes (0, 4, 8, 16); AAPCS the same */
    ROW(iv_p2p_send_stats_s, inst_net_rate,  T_INT,  0,  0),
    ROW(iv_p2p_send_stats_s, ave_sent_rate,  T_INT,  4,  4),
    ROW(iv_p2p_send_stats_s, sum_sent_acked, T_U64,  8,  8),
    ROW(iv_p2p_send_stats_s, link_mode,      T_INT, 16, 16),

    /* iv_p2p_parm_s - LP64 200 bytes (ILP32 148): the 7 callback pointers at
     * 0, 8, ..., 48; p2p_keep_alive at 56; p2p_init_params at 64; net_info at
     * 112. (ILP32: 28, 32, 68.) */
    ROW(iv_p2p_parm_s, p2p_handle_send_init_cb,    T_PTR,   0,  0),
    ROW(iv_p2p_parm_s, p2p_handle_send_get_cb,     T_PTR,   8,  4),
    ROW(iv_p2p_parm_s, p2p_handle_send_stop_cb,    T_PTR,  16,  8),
    ROW(iv_p2p_parm_s, p2p_handle_event_notify_cb, T_PTR,  24, 12),
    ROW(iv_p2p_parm_s, p2p_handle_recv_init_cb,    T_PTR,  32, 16),
    ROW(iv_p2p_parm_s, p2p_handle_recv_voice_cb,   T_PTR,  40, 20),
    ROW(iv_p2p_parm_s, p2p_handle_command_cb,      T_PTR,  48, 24),
    ROW(iv_p2p_parm_s, p2p_keep_alive,   T_STRUCT(avt_xp2p_ops_s),     56, 28),
    ROW(iv_p2p_parm_s, p2p_init_params,  T_STRUCT(p2p_init_params_s),  64, 32),
    ROW(iv_p2p_parm_s, net_info,         T_STRUCT(local_net_info_s),  112, 68),
};

#define N_MEMBERS (sizeof members / sizeof members[0])

/* Host alignment of a struct type, C99-portably: the offset of a member of
 * that type that follows a char. */
#define ALIGN_PROBE(S) struct align_probe_##S { char c; S m; }
ALIGN_PROBE(iv_cm_memory_s);
ALIGN_PROBE(avt_xp2p_ops_s);
ALIGN_PROBE(p2p_init_params_s);
ALIGN_PROBE(local_net_info_s);
ALIGN_PROBE(iv_p2p_send_stats_s);
ALIGN_PROBE(iv_p2p_parm_s);

typedef struct {
    const char *name;
    unsigned n_fields;       /* documented field count */
    long doc_size[M_COUNT];
    long doc_align[M_COUNT]; /* NODOC where abi-facts does not state it */
    size_t host_size;
    size_t host_align;
    unsigned size[M_COUNT];  /* filled in by the model */
    unsigned align[M_COUNT];
} struct_fact;

#define STRUCT(S, n, size_lp64, size_ilp32, align_lp64, align_ilp32)            \
    { #S, n, { size_lp64, size_ilp32 }, { align_lp64, align_ilp32 }, sizeof(S), \
      offsetof(struct align_probe_##S, m), { 0, 0 }, { 0, 0 } }

/* In dependency order: a nested struct comes before the struct holding it.
 * iv_p2p_send_stats_s ILP32 24 is the AAPCS figure (abi-facts gives LP64). */
static struct_fact structs[] = {
    STRUCT(iv_cm_memory_s,      3,  24,  12, NODOC, NODOC),
    STRUCT(avt_xp2p_ops_s,      2,   2,   2,     1,     1),
    STRUCT(p2p_init_params_s,   9,  48,  36, NODOC, NODOC),
    STRUCT(local_net_info_s,    5,  88,  80, NODOC, NODOC),
    STRUCT(iv_p2p_send_stats_s, 4,  24,  24, NODOC, NODOC),
    STRUCT(iv_p2p_parm_s,      10, 200, 148, NODOC, NODOC),
};

#define N_STRUCTS (sizeof structs / sizeof structs[0])

/* EXPECT_INT_EQ with the struct/member being checked printed first. */
static void expect_eq(const char *where, const char *member, const char *what,
                      long long expected, long long actual)
{
    if (expected != actual)
        fprintf(stderr, "in %s%s%s (%s):\n", where, member ? "." : "", member ? member : "",
                what);
    EXPECT_INT_EQ(expected, actual);
}

static unsigned round_up(unsigned n, unsigned a)
{
    return (n + a - 1) / a * a;
}

static const struct_fact *find_struct(const char *name)
{
    size_t i;
    for (i = 0; i < N_STRUCTS; i++)
        if (strcmp(structs[i].name, name) == 0)
            return &structs[i];
    return NULL;
}

/* Size and alignment of a member's type in data model m. */
static int member_type(const member_fact *mf, int m, unsigned *size, unsigned *align)
{
    if (mf->type.nested) {
        const struct_fact *sf = find_struct(mf->type.nested);
        if (sf == NULL || sf->size[m] == 0)
            return -1; /* unknown, or not laid out yet: the table order is wrong */
        *size = sf->size[m];
        *align = sf->align[m];
    } else {
        *size = mf->type.size[m];
        *align = mf->type.align[m];
    }
    return 0;
}

/* The C layout rules, for every struct in both data models. */
static int run_model(void)
{
    size_t s, i;
    int m;
    for (s = 0; s < N_STRUCTS; s++) {
        struct_fact *sf = &structs[s];
        for (m = 0; m < M_COUNT; m++) {
            unsigned off = 0, max_align = 1, fields = 0;
            for (i = 0; i < N_MEMBERS; i++) {
                member_fact *mf = &members[i];
                unsigned size, align;
                if (strcmp(mf->strct, sf->name) != 0)
                    continue;
                if (member_type(mf, m, &size, &align) != 0) {
                    fprintf(stderr, "model: %s.%s: nested type %s unknown or out of order\n",
                            mf->strct, mf->member, mf->type.nested);
                    return -1;
                }
                off = round_up(off, align);
                mf->model_off[m] = off;
                off += size;
                if (align > max_align)
                    max_align = align;
                fields++;
            }
            sf->size[m] = round_up(off, max_align);
            sf->align[m] = max_align;
            if (m == M_LP64)
                expect_eq(sf->name, NULL, "documented field count", sf->n_fields, fields);
        }
    }
    return 0;
}

/* (a) the model against the documented numbers, in both data models */
static void check_model_against_docs(void)
{
    size_t i;
    int m;
    char what[96];
    for (m = 0; m < M_COUNT; m++) {
        for (i = 0; i < N_MEMBERS; i++) {
            const member_fact *mf = &members[i];
            if (mf->doc_off[m] == NODOC)
                continue;
            snprintf(what, sizeof what, "%s model offset vs abi-facts", model_name[m]);
            expect_eq(mf->strct, mf->member, what, mf->doc_off[m], mf->model_off[m]);
        }
        for (i = 0; i < N_STRUCTS; i++) {
            const struct_fact *sf = &structs[i];
            snprintf(what, sizeof what, "%s model size vs abi-facts", model_name[m]);
            expect_eq(sf->name, NULL, what, sf->doc_size[m], sf->size[m]);
            if (sf->doc_align[m] != NODOC) {
                snprintf(what, sizeof what, "%s model alignment vs abi-facts", model_name[m]);
                expect_eq(sf->name, NULL, what, sf->doc_align[m], sf->align[m]);
            }
        }
    }
}

/* (b) the host compiler against the model for the host's data model */
static void check_host_against_model(int h)
{
    size_t i;
    char what[96];
    for (i = 0; i < N_MEMBERS; i++) {
        const member_fact *mf = &members[i];
        unsigned size = 0, align = 0;
        if (member_type(mf, h, &size, &align) != 0)
            continue; /* already reported by run_model */
        snprintf(what, sizeof what, "host offsetof vs %s model", model_name[h]);
        expect_eq(mf->strct, mf->member, what, mf->model_off[h], (long long)mf->host_off);
        snprintf(what, sizeof what, "host member sizeof vs %s model", model_name[h]);
        expect_eq(mf->strct, mf->member, what, size, (long long)mf->host_size);
    }
    for (i = 0; i < N_STRUCTS; i++) {
        const struct_fact *sf = &structs[i];
        snprintf(what, sizeof what, "host sizeof vs %s model", model_name[h]);
        expect_eq(sf->name, NULL, what, sf->size[h], (long long)sf->host_size);
        snprintf(what, sizeof what, "host alignment vs %s model", model_name[h]);
        expect_eq(sf->name, NULL, what, sf->align[h], (long long)sf->host_align);
    }
}

typedef struct {
    const char *name;
    long long value;
    long long expected;
} enum_fact;

#define ENUMV(e, v) { #e, (long long)(e), v }

static const enum_fact enumerators[] = {
    /* iv_avt_event_e */
    ENUMV(IV_AVT_EVENT_P2P_PEER_READY, 0),
    ENUMV(IV_AVT_EVENT_P2P_PEER_CONNECT_FAIL, 1),
    ENUMV(IV_AVT_EVENT_P2P_PEER_ERROR, 2),
    ENUMV(IV_AVT_EVENT_P2P_PEER_ADDR_CHANGED, 3),
    ENUMV(IV_AVT_EVENT_P2P_WATERMARK_LOW, 4),
    ENUMV(IV_AVT_EVENT_P2P_WATERMARK_WARN, 5),
    ENUMV(IV_AVT_EVENT_P2P_WATERMARK_HIGH, 6),
    ENUMV(IV_AVT_EVENT_P2P_LOCAL_NET_READY, 7),
    ENUMV(IV_AVT_EVENT_P2P_LINK_DISCONNECT, 8),
    ENUMV(IV_AVT_EVENT_P2P_CLI_SEND_CLOSE, 9),
    ENUMV(IV_AVT_EVENT_P2P_BUTT, 10),
    /* iv_avt_p2p_log_level_e */
    ENUMV(IV_AVT_P2P_LOG_DISABLE, 0),
    ENUMV(IV_AVT_P2P_LOG_ERROR, 1),
    ENUMV(IV_AVT_P2P_LOG_WARN, 2),
    ENUMV(IV_AVT_P2P_LOG_INFO, 3),
    ENUMV(IV_AVT_P2P_LOG_DEBUG, 4),
    ENUMV(IV_AVT_P2P_LOG_VERBOSE, 5),
    /* iv_avt_p2p_nic_type_e */
    ENUMV(IV_AVT_P2P_NIC_NORMAL, 0),
    ENUMV(IV_AVT_P2P_NIC_NAT_EX, 1),
    /* iv_avt_p2p_tp_type_e */
    ENUMV(IV_AVT_P2P_UDP, 0),
    ENUMV(IV_AVT_P2P_TCP, 1),
    /* iv_err_code_e: every code in iv_err.h */
    ENUMV(IV_ERR_NONE, 0),
    ENUMV(IV_ERR_SYS_MALLOC_FAIL, -108),
    ENUMV(IV_ERR_AVT_INIT_PRM_NULL, -300),
    ENUMV(IV_ERR_AVT_INIT_CB_NULL, -301),
    ENUMV(IV_ERR_AVT_INIT_PRM_RANGE, -302),
    ENUMV(IV_ERR_AVT_REQ_CHN_BUSY, -303),
    ENUMV(IV_ERR_AVT_SEND_STREAM_TOO_BIG, -304),
    ENUMV(IV_ERR_AVT_CHN_NOT_EXIT, -305),
    ENUMV(IV_ERR_AVT_NEED_IDR_FRAME, -306),
    ENUMV(IV_ERR_AVT_MALLOC_BUFFER_FAILED, -307),
    ENUMV(IV_ERR_AVT_FAILED, -308),
    ENUMV(IV_ERR_AVT_INPUT_PARAM_NULL, -309),
    ENUMV(IV_ERR_AVT_INPUT_PARAM_INVAILD, -310),
    ENUMV(IV_ERR_AVT_SEND_DATA_TIMEOUT, -311),
    ENUMV(IV_ERR_AVT_STATE_ERROR, -312),
    ENUMV(IV_ERR_AVT_VIDEO_DATA_ERROR, -313),
    ENUMV(IV_ERR_DEVICE_OFFLINE, -1001),
};

#define N_ENUMERATORS (sizeof enumerators / sizeof enumerators[0])

/* (c) enumerator values and enum sizes ("enums 4 bytes") */
static void check_enums(void)
{
    size_t i;
    for (i = 0; i < N_ENUMERATORS; i++)
        expect_eq(enumerators[i].name, NULL, "enumerator value", enumerators[i].expected,
                  enumerators[i].value);
    expect_eq("iv_avt_event_e", NULL, "sizeof", 4, (long long)sizeof(iv_avt_event_e));
    expect_eq("iv_avt_p2p_log_level_e", NULL, "sizeof", 4,
              (long long)sizeof(iv_avt_p2p_log_level_e));
    expect_eq("iv_avt_p2p_nic_type_e", NULL, "sizeof", 4,
              (long long)sizeof(iv_avt_p2p_nic_type_e));
    expect_eq("iv_avt_p2p_tp_type_e", NULL, "sizeof", 4,
              (long long)sizeof(iv_avt_p2p_tp_type_e));
    expect_eq("iv_err_code_e", NULL, "sizeof", 4, (long long)sizeof(iv_err_code_e));
}

int main(void)
{
    int host;

    /* The data models this ABI is defined for; anything else is a port
     * abi-facts.md does not cover. */
    REQUIRE_TRUE(sizeof(void *) == 8 || sizeof(void *) == 4);
    REQUIRE_TRUE(sizeof(size_t) == sizeof(void *));
    REQUIRE_TRUE(sizeof(void (*)(void)) == sizeof(void *));
    host = sizeof(void *) == 8 ? M_LP64 : M_ILP32;

    REQUIRE_TRUE(run_model() == 0);
    check_model_against_docs();
    check_host_against_model(host);
    check_enums();

    printf("abi_layout: %u structs / %u members modelled for LP64 and ILP32 ARM EABI; "
           "host data model %s (sizeof(void *) == %u); %u enumerators and error codes\n",
           (unsigned)N_STRUCTS, (unsigned)N_MEMBERS, model_name[host], (unsigned)sizeof(void *),
           (unsigned)N_ENUMERATORS);
    return expect_exit_code("abi_layout");
}
