package io.pqbridge.fuzz;

import java.util.function.Predicate;

/**
 * Greedy shrinking: drops one operation at a time, keeping each removal after which the sequence
 * still fails, until no single removal does; at most {@code budget} tries, since every try runs
 * the sequence again (in a child JVM when the failure is a crash).
 */
final class Shrinker {

    private Shrinker() {
    }

    static FuzzSequence shrink(FuzzSequence failing, Predicate<FuzzSequence> stillFails, int budget) {
        FuzzSequence smallest = failing;
        int tries = 0;
        boolean progress = true;
        while (progress && tries < budget) {
            progress = false;
            for (int i = smallest.steps().size() - 1; i >= 0 && tries < budget; i--) {
                FuzzSequence candidate = smallest.without(i);
                tries++;
                if (stillFails.test(candidate)) {
                    smallest = candidate;
                    progress = true;
                }
            }
        }
        return smallest;
    }
}
