package io.pqbridge.hostile;

import static org.junit.jupiter.api.Assertions.fail;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.testing.ChildResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The findings of {@link HostileServerFuzzTest}, shrunk and kept: each case is a saved session
 * (the {@code .session} text, notes included: which recording, which mutations, what went wrong
 * when it was found), replayed on every backend in a child JVM with the fuzzer's fixed 64 MB heap,
 * where {@link SessionRunner}'s invariants must hold. The project has no test resource directory,
 * so the sessions are inline. A case fails until its bug is fixed; then it guards the fix.
 *
 * <p>To add a finding: copy {@code target/hostile-findings/<backend>-<seed>.session} into
 * {@link #CASES} (the {@code #} comment lines may go). One case alone:
 * {@code mvn -B -ntp surefire:test -Dtest=HostileServerFuzzTest -Dpqbridge.hostile.replay=PATH}.
 * Beside each session the fuzzer saves {@code <backend>-<seed>.recording}, the conversation as the
 * scripted server had it ({@link ScriptRecording}): the test kit's {@code ReplayServer} replays it
 * with its timing to any client, without this package, and reports where the client's messages
 * differ; {@link HostileRecordingReplayTest} shows that replaying the recordings of saved cases
 * ends like the scripted session.
 */
class HostileServerRegressionTest {

    static final Map<String, String> CASES = Map.ofEntries(
            // java: 233,016 NoticeResponses (8 MB) during startup are buffered without limit: OutOfMemoryError in connect
            Map.entry("startup-notice-flood", """
                    note recording simple-query, session seed 20260321
                    note mutation: flood of 233016 x NoticeResponse (8 MB) at turn 0 position 6
                    note backend java; finding (shrunk from 8389502 server bytes in 2 turns to 8388585 in 1): java.lang.OutOfMemoryError at ? (no stack trace)
                    name simple-query
                    op SIMPLE_QUERY
                    conninfo user=test dbname=postgres
                    delivery WHOLE 8309130577965471654
                    turn 1 520000000800000000
                    flood 9 233016 4e00000023534e4f5449434500564e4f5449434500433030303030004d666c6f6f640000
                    """),
            // java: ParameterStatus length set to 4, its body then reads as a message of ~1.6 GB: allocated at once, OutOfMemoryError in connect
            Map.entry("misframed-huge-length", """
                    note recording error-query, session seed 20260343
                    note mutation: length field set to 4 (0x4) in turn 0 message 4 'S' (39 bytes)
                    note backend java; finding (shrunk from 478 server bytes in 2 turns to 328 in 1): java.lang.OutOfMemoryError at ? (no stack trace)
                    name error-query
                    op ERROR_QUERY
                    conninfo user=test dbname=postgres
                    delivery WHOLE 9191372968169099335
                    turn 1 52000000080000000064656661756c745f7472616e73616374696f6e5f726561645f6f6e6c79006f6666005300000017696e5f686f745f7374616e646279006f6666005300000019696e74656765725f6461746574696d6573006f6e00530000001b496e74657276616c5374796c6500706f73746772657300530000001469735f737570657275736572006f6e0053000000197365727665725f656e636f64696e6700555446380053000000327365727665725f76657273696f6e0031352e3138202844656269616e2031352e31382d302b646562313275312900530000001f73657373696f6e5f617574686f72697a6174696f6e00746573740053000000237374616e646172645f636f6e666f726d696e675f737472696e6773006f6e00530000001554696d655a6f6e65004574632f555443004b0000000c00001340495b18795a0000000549
                    """),
            // java: bit flips in a CopyData length misframe the stream into a 174 MB message: OutOfMemoryError, then Cursor.runCopy adds the error to itself as suppressed (IllegalArgumentException)
            Map.entry("copy-out-huge-length-self-suppression", """
                    note recording copy-out, session seed 20260346
                    note mutation: bit flips (seed 6133943115703152122) in turn 1 message 89 'd' (12 bytes)
                    note backend java; finding (shrunk from 3059 server bytes in 2 turns to 2369 in 2): java.lang.IllegalArgumentException (caused by java.lang.OutOfMemoryError) at io.pqbridge.Cursor.runCopy
                    name copy-out
                    op COPY_OUT
                    conninfo user=test dbname=postgres
                    delivery WHOLE -5491549316831321051
                    turn 1 52000000080000000053000000166170706c69636174696f6e5f6e616d6500005300000019636c69656e745f656e636f64696e670055544638005300000017446174655374796c650049534f2c204d445900530000002664656661756c745f7472616e73616374696f6e5f726561645f6f6e6c79006f6666005300000017696e5f686f745f7374616e646279006f6666005300000019696e74656765725f6461746574696d6573006f6e00530000001b496e74657276616c5374796c6500706f73746772657300530000001469735f737570657275736572006f6e0053000000197365727665725f656e636f64696e6700555446380053000000327365727665725f76657273696f6e0031352e3138202844656269616e2031352e31382d302b646562313275312900530000001f73657373696f6e5f617574686f72697a6174696f6e00746573740053000000237374616e646172645f636f6e666f726d696e675f737472696e6773006f6e00530000001554696d655a6f6e65004574632f555443004b0000000c00001349f668db765a0000000549
                    turn 1 480000000b000002000000006400000009310978310a6400000009320978320a6400000009330978330a6400000009340978340a6400000009350978350a6400000009360978360a6400000009370978370a6400000009380978380a6400000009390978390a640000000b3130097831300a640000000b3131097831310a640000000b3132097831320a640000000b3133097831330a640000000b3134097831340a640000000b3135097831350a640000000b3136097831360a640000000b3137097831370a640000000b3138097831380a640000000b3139097831390a640000000b3230097832300a640000000b3231097832310a640000000b3232097832320a640000000b3233097832330a640000000b3234097832340a640000000b3235097832350a640000000b3236097832360a640000000b3237097832370a640000000b3238097832380a640000000b3239097832390a640000000b3330097833300a640000000b3331097833310a640000000b3332097833320a640000000b3333097833330a640000000b3334097833340a390a640000000b3930097839300a640000000b3931097839310a640000000b3932097839320a640000000b3933097839330a640000000b3934097839340a640000000b3935097839350a640000000b3936097839360a640000000b3937097839370a640000000b3938097839380a640000000b3939097839390a640000000d31303009783130300a640000000d31303109783130310a640000000d31303209783130320a640000000d31303309783130330a640000000d31303409783130340a640000000d31303509783130350a640000000d31303609783130360a640000000d31303709783130370a640000000d31303809783130380a640000000d31303909783130390a640000000d31313009783131300a640000000d31313109783131310a640000000d31313209783131320a640000000d31313309783131330a640000000d31313409783131340a640000000d31313509783131350a640000000d31313609783131360a640000000d31313709783131370a640000000d31313809783131380a640000000d31313909783131390a640000000d31323009783132300a640000000d31323109783132310a640000000d31323209783132320a640000000d31323309783132330a640000000d31323409783132340a640000000d31323509783132350a640000000d31323609783132360a640000000d31323709783132370a640000000d31323809783132380a640000000d31323909783132390a640000000d31333009783133300a640000000d31333109783133310a640000000d31333209783133320a640000000d31333309783133330a640000000d31333409783133340a640000000d31333509783133350a640000000d31333609783133360a640000000d31333709783133370a640000000d31333809783133380a640000000d31333909783133390a640000000d31343009783134300a640000000d31343109783134310a640000000d31343209783134320a640000000d31343309783134330a640000000d31343409783134340a640000000d31343509783134350a640000000d31343609783134360a640000000d31343709783134370a640000000d31343809783134380a640000000d31343909783134390a640000000d31353009783135300a640000000d31353109783135310a640000000d31353209783135320a640000000d31353309783135330a640000000d31353409783135340a640000000d31353509783135350a640000000d31353609783135360a640000000d31353709783135370a640000000d31353809783135380a640000000d31353909783135390a640000000d31363009783136300a640000000d31363109783136310a640000000d31363209783136320a640000000d31363309783136330a640000000d31363409783136340a640000000d31363509783136350a640000000d31363609783136360a640000000d31363709783136370a640000000d31363809783136380a640000000d31363909783136390a640000000d31373009783137300a640000000d31373109783137310a640000000d31373209783137320a640000000d31373309783137330a640000000d31373409783137340a640000000d31373509783137350a640000000d31373609783137360a640000000d31373709783137370a640000000d31373809783137380a640000000d31373909783137390a640000000d31383009783138300a640000000d31383109783138310a640000000d31383209783138320a640000000d31383309783138330a640000000d31383409783138340a640000000d31383509783138350a640000000d31383609783138360a640000000d31383709783138370a640000000d31383809783138380a640000000d31383909783138390a640000000d31393009783139300a640000000d31393109783139310a640000000d31393209783139320a640000000d31393309783139330a640000000d31393409783139340a640000000d31393509783139350a640000000d31393609783139360a640000000d31393709783139370a640000000d31393809783139380a640000000d31393909783139390a640000000d32303009783230300a6300000004430000000d434f505920323030005a0000000549
                    """),
            // java: the ErrorResponse answering the SSLRequest is parsed and its text shown (libpq never shows it, CVE-2024-10977)
            Map.entry("ssl-error-text-shown", """
                    note recording simple-query, session seed 20260510
                    note mutation: sslmode=prefer, and the SSLRequest answered with ErrorResponse (its text must not be shown)
                    note backend java; finding (shrunk from 943 server bytes in 2 turns to 0 in 0): the server's ErrorResponse to the SSLRequest is parsed and its text shown
                    name simple-query
                    op SIMPLE_QUERY
                    conninfo user=test dbname=postgres
                    delivery WHOLE -8882316180863843800
                    ssl-answer 450000003853464154414c00433238303030004d484f5354494c452d544558542d494e2d5245504c592d544f2d53534c524551554553540000
                    """),
            // java: CommandComplete 'INSERT 0 99999999999999999999': Cursor.selectResult's Long.parseLong throws NumberFormatException
            Map.entry("command-tag-row-count-overflow", """
                    note recording extended-query, session seed 20261322
                    note mutation: inserted CommandComplete INSERT 0 99999999999999999999 at turn 1 position 2
                    note backend java; finding (shrunk from 1200 server bytes in 2 turns to 56 in 2): java.lang.NumberFormatException at io.pqbridge.Cursor.selectResult
                    name extended-query
                    op EXTENDED_QUERY
                    conninfo user=test dbname=postgres
                    delivery WHOLE 9029215212770356053
                    turn 1 5200000008000000005a0000000549
                    turn 5 4300000022494e534552542030203939393939393939393939393939393939393939005a0000000549
                    """),
            // native: a CopyBothResponse before the query leaves libpq in COPY BOTH, whose result
            // repeats (the harness read it 10,000 times; a caller stops at a COPY result); java took
            // it for an unexpected message, and on a real replication stream then waited for a
            // ReadyForQuery that never comes (ReplicationStreamTest)
            Map.entry("copy-both-before-the-query", """
                    note recording listen-notify, session seed 53920467739724
                    note mutation: inserted CopyBothResponse at turn 0 position 16
                    note backend native; finding (shrunk from 475 server bytes in 3 turns to 47 in 2): java.lang.AssertionError at io.pqbridge.hostile.ClientOp.drain
                    name listen-notify
                    op LISTEN_NOTIFY
                    conninfo user=test dbname=postgres
                    delivery BYTES 2209815739652583941
                    turn 1 5200000008000000005300000017696e5f686f745f7374616e646279006f6666005a00000005495700000007000000
                    turn 1
                    """));

    @ParameterizedTest
    @MethodSource("io.pqbridge.test.Backends#all")
    void savedHostileSessionsKeepTheInvariants(PgBackend backend) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "hostile-regression").toAbsolutePath());
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> c : CASES.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            Path file = dir.resolve(backend.name() + "-" + c.getKey() + ".session");
            Files.writeString(file, c.getValue(), StandardCharsets.UTF_8);
            ChildResult r = HostileServerFuzzTest.child(backend, List.of("replay", file.toString(), dir.toString()),
                    Duration.ofSeconds(60));
            if (r.exitCode() != 0 || r.crashed() || r.timedOut()) {
                String result = r.stdoutTail().lines().filter(l -> l.startsWith(HostileChild.RESULT)
                        || l.startsWith(HostileChild.HANG)).reduce((a, b) -> a + "\n" + b).orElse(r.describe());
                problems.add(c.getKey() + " (" + file + "): exit " + r.exitCode() + (r.timedOut() ? ", timed out" : "")
                        + (r.crashed() ? ", crashed " + r.crashReport() : "") + "\n" + result);
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " of " + CASES.size() + " saved hostile sessions fail on " + backend.name() + ":\n\n"
                    + String.join("\n\n", problems));
        }
    }
}
