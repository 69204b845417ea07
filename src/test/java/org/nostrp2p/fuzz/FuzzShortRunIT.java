package org.nostrp2p.fuzz;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A short coverage-guided run of every fuzz target (scripts/fuzz.sh runs them 10 minutes each). */
class FuzzShortRunIT {
    static final int SECONDS = Integer.getInteger("fuzz.seconds", 8);
    static final List<String> targets = FuzzRunner.TARGETS;

    @ParameterizedTest(name = "{0}")
    @FieldSource("targets")
    void noFinding(String target) throws Exception {
        FuzzRunner.Result r = FuzzRunner.run(target, SECONDS, FuzzRunner.SHORT_RUN_WORK);
        System.out.printf("fuzz: %s: %,d runs in %d s%n", FuzzRunner.simpleName(target), r.runs(), SECONDS);
        assertTrue(r.clean(), "a finding (its input is in target/fuzz-short/" + FuzzRunner.simpleName(target)
                + "/crash-*; fix it, then add the input to src/test/resources/fuzz/" + FuzzRunner.simpleName(target) + "):\n" + r.tail());
        assertTrue(r.runs() > 1_000, "the fuzzer ran: " + r.runs() + " runs\n" + r.tail());
    }
}
