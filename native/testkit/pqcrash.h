#ifndef PQBRIDGE_PQCRASH_H
#define PQBRIDGE_PQCRASH_H

/*
 * The test kit's deliberate native crash, in a library of its own (libjniCrashNatives, bound by
 * io.pqbridge.testing.CrashNatives): the production shim an application loads has no way to
 * crash on purpose.
 */

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Dereferences a NULL pointer when `really` is non-zero (returns 0 otherwise). Exists only so the
 * crash-reproduction kit can prove, in a child JVM, that a real native crash is detected and
 * reported with this function as the problematic frame.
 */
int pqs_crash_for_testing(int really);

#ifdef __cplusplus
}
#endif

#endif
