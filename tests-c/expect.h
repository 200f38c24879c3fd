/*
 * expect.h - tiny assertion helpers for the C conformance tests, in the
 * manner of libhdfs' expect.h: every failure prints file, line, the
 * expression and both values, and is counted; a test's main() returns
 * expect_exit_code() so ctest sees failures without aborting at the first.
 */
#ifndef IVP2P_TEST_EXPECT_H
#define IVP2P_TEST_EXPECT_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int expect_failures;

#define EXPECT_TRUE(cond)                                                         \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond);    \
            expect_failures++;                                                    \
        }                                                                         \
    } while (0)

#define EXPECT_INT_EQ(expected, actual)                                           \
    do {                                                                          \
        long long e_ = (long long)(expected), a_ = (long long)(actual);           \
        if (e_ != a_) {                                                           \
            fprintf(stderr, "%s:%d: FAILED: %s == %s: expected %lld, got %lld\n", \
                    __FILE__, __LINE__, #expected, #actual, e_, a_);              \
            expect_failures++;                                                    \
        }                                                                         \
    } while (0)

#define EXPECT_UINT_EQ(expected, actual)                                          \
    do {                                                                          \
        uint64_t e_ = (uint64_t)(expected), a_ = (uint64_t)(actual);              \
        if (e_ != a_) {                                                           \
            fprintf(stderr, "%s:%d: FAILED: %s == %s: expected %" PRIu64          \
                    ", got %" PRIu64 "\n", __FILE__, __LINE__, #expected,         \
                    #actual, e_, a_);                                             \
            expect_failures++;                                                    \
        }                                                                         \
    } while (0)

#define EXPECT_STR_EQ(expected, actual)                                           \
    do {                                                                          \
        const char *e_ = (expected), *a_ = (actual);                              \
        if (a_ == NULL || strcmp(e_, a_) != 0) {                                  \
            fprintf(stderr, "%s:%d: FAILED: %s == %s: expected \"%s\", got "      \
                    "\"%s\"\n", __FILE__, __LINE__, #expected, #actual, e_,       \
                    a_ ? a_ : "(null)");                                          \
            expect_failures++;                                                    \
        }                                                                         \
    } while (0)

/* For preconditions without which the rest of a test is meaningless. */
#define REQUIRE_TRUE(cond)                                                        \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "%s:%d: REQUIRED: %s\n", __FILE__, __LINE__, #cond);  \
            return 1;                                                             \
        }                                                                         \
    } while (0)

static inline int expect_exit_code(const char *test_name)
{
    if (expect_failures) {
        fprintf(stderr, "%s: %d expectation(s) failed\n", test_name, expect_failures);
        return 1;
    }
    printf("%s: all expectations held\n", test_name);
    return 0;
}

#endif /* IVP2P_TEST_EXPECT_H */
