/*
 * flv_check FILE - checks a received FLV stream the way a player depends on
 * it, independently of ffprobe's leniency:
 *   - the FLV header, every tag's size and trailing previous-tag-size;
 *   - the AVC sequence header (and the AAC one, if there is audio) before the
 *     first frame, and the first video frame a key frame;
 *   - timestamps that never go backwards, per track.
 * A last tag cut short (the app stopped reading after N bytes) is allowed and
 * reported. Prints one key=value line; complete_bytes is where the last whole
 * tag ends (to trim the file for ffmpeg). Exit 0 if valid, 1 if not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../flv.h"

static uint32_t be24(const uint8_t *p)
{
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

int main(int argc, char **argv)
{
    FILE *f;
    uint8_t *d;
    long size;
    size_t pos = 13;
    unsigned video = 0, audio = 0, keys = 0, avc_seq = 0, aac_seq = 0, backwards = 0;
    uint32_t last[32] = {0};
    int seen[32] = {0}, first_video_key = -1, ok = 1, truncated = 0;
    const char *why = "";

    if (argc != 2) {
        fprintf(stderr, "usage: flv_check FILE\n");
        return 2;
    }
    f = fopen(argv[1], "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        perror(argv[1]);
        return 2;
    }
    d = malloc((size_t)size + 1);
    if (d == NULL || fread(d, 1, (size_t)size, f) != (size_t)size) {
        perror(argv[1]);
        return 2;
    }
    fclose(f);
    if (size < 13 || memcmp(d, "FLV", 3) != 0 || d[3] != 1 || be24(d + 9) != 0 || d[12] != 0) {
        printf("valid=0 why=no_flv_header\n");
        return 1;
    }
    while (pos + FLV_TAG_HEADER_SIZE <= (size_t)size) {
        flv_tag t;
        uint32_t body = be24(d + pos + 1);
        if (flv_parse_tag(d + pos, (size_t)size - pos, pos, &t) != 0)
            break;
        if (pos + t.size > (size_t)size) {
            truncated = 1;
            break;
        }
        if (be24(d + pos + FLV_TAG_HEADER_SIZE + body + 1) != FLV_TAG_HEADER_SIZE + body ||
            d[pos + FLV_TAG_HEADER_SIZE + body] != 0) {
            ok = 0;
            why = "bad_previous_tag_size";
            break;
        }
        if (seen[t.type] && t.ts < last[t.type])
            backwards++;
        seen[t.type] = 1;
        last[t.type] = t.ts;
        if (t.type == FLV_TAG_VIDEO && (t.flags & FLV_SEQ_HDR)) {
            avc_seq++;
        } else if (t.type == FLV_TAG_AUDIO && (t.flags & FLV_SEQ_HDR)) {
            aac_seq++;
        } else if (t.type == FLV_TAG_VIDEO) {
            if (first_video_key < 0) {
                first_video_key = (t.flags & FLV_KEY) != 0;
                if (avc_seq == 0)
                    ok = 0, why = "video_before_avc_sequence_header";
            }
            video++;
            keys += (t.flags & FLV_KEY) != 0;
        } else if (t.type == FLV_TAG_AUDIO) {
            if (audio == 0 && (d[pos + FLV_TAG_HEADER_SIZE] >> 4) == FLV_SOUND_AAC && aac_seq == 0)
                ok = 0, why = "audio_before_aac_sequence_header";
            audio++;
        }
        pos += t.size;
    }
    if (pos + FLV_TAG_HEADER_SIZE > (size_t)size && pos != (size_t)size)
        truncated = 1;
    if (first_video_key == 0)
        ok = 0, why = "first_video_frame_not_key";
    if (backwards)
        ok = 0, why = "timestamps_go_backwards";
    if (video == 0)
        ok = 0, why = "no_video";
    printf("valid=%d%s%s video=%u audio=%u keys=%u avc_seq=%u aac_seq=%u last_video_ts=%u truncated=%d "
           "complete_bytes=%zu\n",
           ok, *why ? " why=" : "", why, video, audio, keys, avc_seq, aac_seq, last[FLV_TAG_VIDEO], truncated, pos);
    free(d);
    return ok ? 0 : 1;
}
