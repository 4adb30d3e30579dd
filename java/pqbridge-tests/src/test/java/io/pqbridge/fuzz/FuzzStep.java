package io.pqbridge.fuzz;

import io.pqbridge.test.BufferKind;
import io.pqbridge.test.Fill;
import java.util.SplittableRandom;

/**
 * One step of a misuse sequence: the operation and, for an operation that hands a buffer to the
 * API ({@link FuzzOp#takesBuffer()}), the kind of buffer and where its window lies. Text form:
 * {@code OP} or {@code OP/KIND/FILL}.
 */
record FuzzStep(FuzzOp op, BufferKind kind, Fill fill) {

    static FuzzStep of(FuzzOp op) {
        return new FuzzStep(op, null, null);
    }

    /** The step for {@code op}, with a buffer drawn from {@code random} when the operation takes one. */
    static FuzzStep draw(FuzzOp op, SplittableRandom random) {
        if (!op.takesBuffer()) {
            return of(op);
        }
        BufferKind[] kinds = BufferKind.values();
        Fill[] fills = Fill.values();
        return new FuzzStep(op, kinds[random.nextInt(kinds.length)], fills[random.nextInt(fills.length)]);
    }

    String encode() {
        return kind == null ? op.name() : op.name() + "/" + kind.name() + "/" + fill.name();
    }

    static FuzzStep decode(String text) {
        String[] parts = text.split("/");
        FuzzOp op = FuzzOp.valueOf(parts[0]);
        return parts.length == 1 ? of(op) : new FuzzStep(op, BufferKind.valueOf(parts[1]), Fill.valueOf(parts[2]));
    }

    @Override
    public String toString() {
        return encode();
    }
}
