/**
 * pqbridge's native backend: libpq itself, through a small C shim bound with JavaCPP. Its JNI
 * library travels in the platform-classified jar ({@code linux-x86_64}, {@code linux-arm64});
 * nothing here is API: the backend is found by {@code io.pqbridge.pq.Pq}, as the provider of
 * {@link io.pqbridge.pq.PgBackend} this module declares.
 */
module io.pqbridge.natives {
    requires io.pqbridge;
    requires org.bytedeco.javacpp;

    // Pq creates the backend by name; nobody else sees the package
    exports io.pqbridge.pq.natives to io.pqbridge;

    provides io.pqbridge.pq.PgBackend with io.pqbridge.pq.natives.NativeBackend;
}
