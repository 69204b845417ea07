package org.nostrp2p.overlay.sim;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The testbed's plan: what the real run and its simulation share must hold for the comparison to mean anything. */
class TestbedPlanTest {
    private final TestbedPlan plan = TestbedPlan.of(7, 24, 6, 3, 2_000);

    @Test
    void nodeZeroIsPublicAndAboutSeventyPercentArePrivate() {
        assertTrue(plan.isPublic()[0]);
        assertEquals(7, plan.publicCount());
    }

    @Test
    void theCrashSparesNodeZeroAndTheAuthors() {
        Set<Integer> authors = new HashSet<>(plan.posts().subList(TestbedPlan.WARMUPS, plan.posts().size()));
        assertEquals(6, authors.size());
        assertEquals(5, plan.crashed().size());
        assertFalse(plan.crashed().contains(0));
        for (int c : plan.crashed()) assertFalse(authors.contains(c), "node " + c + " both crashes and posts");
        assertTrue(authors.containsAll(plan.postsAfterCrash()));
        assertEquals(TestbedPlan.POSTS_AFTER_CRASH, plan.postsAfterCrash().size());
    }

    @Test
    void shortestPathsNeverExceedTheDirectDelayAndAreSymmetric() {
        long[][] direct = plan.delays(), shortest = plan.shortestPaths();
        boolean someDetour = false;
        for (int i = 0; i < plan.size(); i++) {
            for (int j = 0; j < plan.size(); j++) {
                assertEquals(direct[i][j], direct[j][i]);
                assertTrue(shortest[i][j] <= direct[i][j]);
                someDetour |= shortest[i][j] < direct[i][j];
                if (i != j) assertTrue(direct[i][j] >= 3, "every pair is at least the base latency apart");
            }
        }
        assertTrue(someDetour, "with slow pairs among 24 nodes, some pair is faster over a third node (seed 7)");
    }

    @Test
    void theSimulationReachesEveryLiveNodeBeforeAndAfterTheCrash() {
        TestbedPlan.Simulated s = plan.simulate();
        assertEquals(plan.posts().size(), s.posts().size());
        assertEquals(plan.postsAfterCrash().size(), s.afterCrash().size());
        for (BroadcastJudge.Judgement j : s.posts()) assertEquals(23, j.reached(), j.toString());
        for (BroadcastJudge.Judgement j : s.afterCrash()) assertEquals(18, j.reached(), j.toString());
    }
}
