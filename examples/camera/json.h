/*
 * json.h - just enough JSON for the sample's commands.
 *
 * Reading: flat objects with string or integer values ({"cmd":"ptz",
 * "dir":"left","step":10}); nested values are not looked into. A real
 * firmware would use its JSON library (cJSON and the like); the sample stays
 * free of dependencies.
 * Writing: json_str appends a quoted, escaped string to a bytebuf.
 */
#ifndef CAM_JSON_H
#define CAM_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "bytebuf.h"

/* The string value of "key" in the top-level object text[0..len). Returns 1
 * and the unescaped value in out (NUL-terminated), 0 if absent or not a
 * string, -1 if it does not fit or is malformed. */
int json_get_string(const char *text, size_t len, const char *key, char *out, size_t outlen);

/* The integer value of "key". Returns 1 and sets *out, 0 if absent or not a number. */
int json_get_int(const char *text, size_t len, const char *key, long long *out);

/* Appends s as a JSON string literal. */
void json_str(bytebuf *bb, const char *s);

#endif
