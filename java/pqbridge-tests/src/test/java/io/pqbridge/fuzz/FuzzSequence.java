package io.pqbridge.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * A misuse sequence: the autocommit setting to start with and the operations, generated from a
 * seed (so a failure is replayable from its seed) or given explicitly (a shrunk sequence). Its
 * {@link #encode() text form} is what a child JVM replays.
 */
record FuzzSequence(boolean autocommit, List<FuzzStep> steps) {

    private static final int TOTAL_WEIGHT = Arrays.stream(FuzzOp.values()).mapToInt(op -> op.weight).sum();

    FuzzSequence {
        steps = List.copyOf(steps);
    }

    /** The operations of the steps, in order. */
    List<FuzzOp> ops() {
        return steps.stream().map(FuzzStep::op).toList();
    }

    /** 3 to 9 operations drawn by weight. */
    static FuzzSequence generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed); // mixes neighbouring seeds well, unlike Random
        boolean autocommit = random.nextBoolean();
        int length = 3 + random.nextInt(7);
        List<FuzzStep> steps = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(TOTAL_WEIGHT);
            for (FuzzOp op : FuzzOp.values()) {
                pick -= op.weight;
                if (pick < 0) {
                    steps.add(FuzzStep.draw(op, random));
                    break;
                }
            }
        }
        return new FuzzSequence(autocommit, steps);
    }

    /** {@code autocommit=false:OP,OP/KIND/FILL,...} ({@link FuzzStep#encode()}). */
    String encode() {
        return "autocommit=" + autocommit + ":" + steps.stream().map(FuzzStep::encode).collect(Collectors.joining(","));
    }

    static FuzzSequence decode(String text) {
        int colon = text.indexOf(':');
        if (!text.startsWith("autocommit=") || colon < 0) {
            throw new IllegalArgumentException("not a fuzz sequence: " + text);
        }
        boolean autocommit = Boolean.parseBoolean(text.substring("autocommit=".length(), colon));
        String body = text.substring(colon + 1);
        List<FuzzStep> steps = body.isEmpty() ? List.of() : Arrays.stream(body.split(",")).map(FuzzStep::decode).toList();
        return new FuzzSequence(autocommit, steps);
    }

    /** The sequence without its {@code index}-th operation (for shrinking). */
    FuzzSequence without(int index) {
        List<FuzzStep> fewer = new ArrayList<>(steps);
        fewer.remove(index);
        return new FuzzSequence(autocommit, fewer);
    }

    @Override
    public String toString() {
        return encode();
    }
}
