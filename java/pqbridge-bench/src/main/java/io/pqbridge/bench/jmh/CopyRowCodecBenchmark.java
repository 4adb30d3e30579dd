package io.pqbridge.bench.jmh;

import io.pqbridge.adapt.AdaptContext;
import io.pqbridge.adapt.CopyRowReader;
import io.pqbridge.adapt.CopyRowWriter;
import io.pqbridge.bench.RowData;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The typed COPY row paths without a server: {@link CopyRowWriter#writeRow} (what W5 spends its
 * client CPU on) and {@link CopyRowReader#parseRow} with pinned types (W6), for the benchmark's
 * five-column row, in text and binary. Scores are per row. Run with
 * {@code scripts/bench --jmh CopyRowCodec} (add {@code -prof gc} for bytes allocated per row).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CopyRowCodecBenchmark {

    private static final int BATCH = 1024;

    @Param({"text", "binary"})
    public String format;

    private Object[][] rows;
    private CopyRowWriter writer;
    private CopyRowReader reader;
    /** The rows as CopyData messages, back to back, and where each starts. */
    private byte[] messages;
    private int[] starts;

    @Setup
    public void setup() {
        boolean binary = format.equals("binary");
        rows = new Object[BATCH][];
        for (int i = 0; i < BATCH; i++) {
            rows[i] = RowData.values(i);
        }
        writer = CopyRowWriter.create(binary);
        writer.setTypes(RowData.TYPES);

        // encode the batch once to get the messages the server would send (COPY OUT's format is
        // COPY IN's): one row per message, the binary header in front of the first
        CopyRowWriter encoder = CopyRowWriter.create(binary);
        encoder.setTypes(RowData.TYPES);
        starts = new int[BATCH + 1];
        for (int i = 0; i < BATCH; i++) {
            starts[i] = i == 0 ? 0 : encoder.size();
            encoder.writeRow(rows[i]);
        }
        starts[BATCH] = encoder.size();
        messages = java.util.Arrays.copyOf(encoder.array(), encoder.size());
        reader = CopyRowReader.create(binary, AdaptContext.DEFAULT);
        reader.setTypes(RowData.TYPES);
        int headerEnd = binary ? 19 : 0;
        if (binary) {
            // the first message carries the header; the reader checks it once
            reader.parseRow(messages, 0, starts[1]);
        }
        starts[0] = headerEnd;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int writeRow() {
        for (Object[] row : rows) {
            writer.writeRow(row);
            if (writer.isFull()) {
                writer.clear();
            }
        }
        return writer.size();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void parseRow(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            bh.consume(reader.parseRow(messages, starts[i], starts[i + 1] - starts[i]));
        }
    }
}
