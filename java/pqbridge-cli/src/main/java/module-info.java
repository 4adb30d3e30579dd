/**
 * The {@code pqbridge} command-line tool ({@code io.pqbridge.cli.Main}) and the demo. An
 * application, not an API: nothing is exported. The native backend comes with it in the
 * self-contained jar; on the module path it is bound as a service provider.
 */
module io.pqbridge.cli {
    requires io.pqbridge;
    requires io.pqbridge.testkit;
    requires jdk.unsupported;
}
