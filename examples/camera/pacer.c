#include "pacer.h"

void pacer_start(pacer *p, uint64_t now_ms, uint64_t src_first, uint64_t lead_ms, uint32_t speed)
{
    p->opened_ms = now_ms;
    p->lead_ms = lead_ms;
    p->out_base = 0;
    p->src_base = src_first;
    p->speed = speed ? speed : 1;
    p->last_out = 0;
}

uint64_t pacer_clock(const pacer *p, uint64_t now_ms)
{
    uint64_t elapsed = now_ms > p->opened_ms ? now_ms - p->opened_ms : 0;
    return p->lead_ms + elapsed * p->speed;
}

uint64_t pacer_src_now(const pacer *p, uint64_t now_ms)
{
    uint64_t clock = pacer_clock(p, now_ms);
    /* out_base can be ahead of the clock only right after a jump to a later frame. */
    return clock >= p->out_base ? p->src_base + (clock - p->out_base) : p->src_base;
}

static uint64_t out_of(const pacer *p, uint64_t src)
{
    /* A source frame before src_base (audio interleaved just before a key
     * frame) maps to out_base: timestamps never go backwards. */
    return src >= p->src_base ? p->out_base + (src - p->src_base) : p->out_base;
}

int pacer_due(const pacer *p, uint64_t src, uint64_t now_ms)
{
    return out_of(p, src) <= pacer_clock(p, now_ms);
}

uint64_t pacer_lag(const pacer *p, uint64_t src, uint64_t now_ms)
{
    uint64_t clock = pacer_clock(p, now_ms), out = out_of(p, src);
    return clock > out ? clock - out : 0;
}

uint32_t pacer_out_ts(pacer *p, uint64_t src)
{
    /* FLV timestamps are 32 bits of milliseconds: 49 days of one stream. */
    uint32_t ts = (uint32_t)out_of(p, src);
    if (ts < p->last_out)
        ts = p->last_out;
    p->last_out = ts;
    return ts;
}

void pacer_jump(pacer *p, uint64_t src, uint64_t now_ms)
{
    uint64_t clock = pacer_clock(p, now_ms);
    /* Never behind what was already sent. */
    p->out_base = clock > p->last_out ? clock : p->last_out;
    p->src_base = src;
}
