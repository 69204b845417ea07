package org.nostrp2p.fuzz;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Every kept fuzz input (seeds and fixed findings in src/test/resources/fuzz) passes its target, without Jazzer. */
class FuzzRegressionTest {
    @TestFactory
    List<DynamicTest> everyKeptInputPasses() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String target : FuzzRunner.TARGETS) {
            Method m = Class.forName(target).getMethod("fuzzerTestOneInput", byte[].class);
            Path dir = FuzzRunner.REGRESSION_INPUTS.resolve(FuzzRunner.simpleName(target));
            assertTrue(Files.isDirectory(dir), "regression inputs of " + target + " in " + dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    tests.add(DynamicTest.dynamicTest(FuzzRunner.simpleName(target) + "/" + f.getFileName(), () -> {
                        try {
                            m.invoke(null, (Object) Files.readAllBytes(f));
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }));
                }
            }
        }
        return tests;
    }
}
