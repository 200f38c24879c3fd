#include "json.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Skips a string literal starting at text[i] == '"'; returns the index after its closing quote, or len. */
static size_t skip_string(const char *text, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (text[i] == '\\')
            i++;
        else if (text[i] == '"')
            return i + 1;
    }
    return len;
}

static size_t skip_ws(const char *text, size_t len, size_t i)
{
    while (i < len && isspace((unsigned char)text[i]))
        i++;
    return i;
}

/* Index of the value of "key" at depth 1 of the object, or len if absent. */
static size_t find_value(const char *text, size_t len, const char *key)
{
    size_t klen = strlen(key), i = 0, end;
    int depth = 0;

    while (i < len) {
        char c = text[i];
        if (c == '{' || c == '[') {
            depth++;
            i++;
        } else if (c == '}' || c == ']') {
            depth--;
            i++;
        } else if (c == '"') {
            end = skip_string(text, len, i);
            /* A key is a string at depth 1 followed by ':'. */
            if (depth == 1 && end - i - 2 == klen && memcmp(text + i + 1, key, klen) == 0) {
                size_t j = skip_ws(text, len, end);
                if (j < len && text[j] == ':')
                    return skip_ws(text, len, j + 1);
            }
            i = end;
        } else {
            i++;
        }
    }
    return len;
}

int json_get_string(const char *text, size_t len, const char *key, char *out, size_t outlen)
{
    size_t i = find_value(text, len, key), n = 0;

    if (i >= len || text[i] != '"')
        return 0;
    for (i++; i < len && text[i] != '"'; i++) {
        char c = text[i];
        if (c == '\\') {
            if (++i >= len)
                return -1;
            switch (text[i]) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case '"': case '\\': case '/': c = text[i]; break;
            default: return -1; /* \uXXXX and the rest: not needed by any command */
            }
        }
        if (n + 1 >= outlen)
            return -1;
        out[n++] = c;
    }
    if (i >= len)
        return -1;
    out[n] = '\0';
    return 1;
}

int json_get_int(const char *text, size_t len, const char *key, long long *out)
{
    size_t i = find_value(text, len, key), n = 0;
    char buf[24], *end;
    long long v;

    if (i >= len)
        return 0;
    while (i + n < len && n + 1 < sizeof buf && (text[i + n] == '-' || isdigit((unsigned char)text[i + n]))) {
        buf[n] = text[i + n];
        n++;
    }
    buf[n] = '\0';
    if (n == 0)
        return 0;
    errno = 0;
    v = strtoll(buf, &end, 10);
    if (errno != 0 || *end != '\0')
        return 0;
    *out = v;
    return 1;
}

void json_str(bytebuf *bb, const char *s)
{
    bytebuf_append(bb, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            bytebuf_printf(bb, "\\%c", c);
        else if (c < 0x20)
            bytebuf_printf(bb, "\\u%04x", c);
        else
            bytebuf_append(bb, s, 1);
    }
    bytebuf_append(bb, "\"", 1);
}
