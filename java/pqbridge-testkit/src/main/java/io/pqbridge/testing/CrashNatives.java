package io.pqbridge.testing;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The test kit's deliberate native crash: {@code native/testkit/pqcrash.c}, bound by JavaCPP into
 * a JNI library of its own ({@code libjniCrashNatives.so}). It is apart from the backend's shim so
 * that the library an application loads has no way to crash on purpose; only the
 * crash-reproduction kit and its tests load this one, in a child JVM.
 */
@Platform(include = "pqcrash.h")
@NoException
public final class CrashNatives {

    static {
        Loader.load();
    }

    private CrashNatives() {
    }

    /** Dereferences NULL in C, killing the JVM with {@code pqs_crash_for_testing} as the problematic frame. */
    public static void crash() {
        pqs_crash_for_testing(1);
    }

    static native int pqs_crash_for_testing(int really);
}
