package io.stampede.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentIdsTest {

    private static final long WINDOW = 600_000;

    @Test
    void anIdSeenWithinTheWindowIsADuplicate() {
        RecentIds ids = new RecentIds(WINDOW);
        ids.advance(0);
        assertThat(ids.add("e-1")).isTrue();
        assertThat(ids.add("e-2")).isTrue();
        assertThat(ids.add("e-1")).as("the same id again").isFalse();
        assertThat(ids.size()).isEqualTo(2);
    }

    @Test
    void anIdIsRememberedForAtLeastOneWindowAndAtMostTwo() {
        RecentIds ids = new RecentIds(WINDOW);
        ids.advance(0);
        ids.add("early");
        ids.advance(WINDOW - 1);
        assertThat(ids.add("early")).as("within the first window").isFalse();
        ids.advance(WINDOW); // the current generation becomes the previous one
        ids.add("later");
        assertThat(ids.add("early")).as("one window on, in the previous generation").isFalse();
        assertThat(ids.add("later")).isFalse();
        ids.advance(2 * WINDOW); // the generation that held "early" is dropped
        assertThat(ids.add("later")).as("the previous generation now").isFalse();
        assertThat(ids.add("early")).as("two windows on: forgotten, counted again").isTrue();
        assertThat(ids.size()).isEqualTo(2);
    }

    @Test
    void millionsOfIdsAreEveryOneStillFound() {
        RecentIds ids = new RecentIds(WINDOW);
        ids.advance(0);
        for (int i = 0; i < 1_000_000; i++) {
            assertThat(ids.add("id-" + i)).isTrue();
        }
        ids.advance(WINDOW);
        for (int i = 1_000_000; i < 1_500_000; i++) {
            assertThat(ids.add("id-" + i)).isTrue();
        }
        int duplicates = 0;
        for (int i = 0; i < 1_500_000; i++) {
            duplicates += ids.add("id-" + i) ? 0 : 1;
        }
        assertThat(duplicates).isEqualTo(1_500_000);
        assertThat(ids.size()).isEqualTo(1_500_000);
    }

    @Test
    void aSnapshotRestoresBothGenerationsAndMergesWithAnother() {
        RecentIds a = new RecentIds(WINDOW);
        a.advance(0);
        a.add("old");
        a.advance(WINDOW);
        a.add("new");
        RecentIds b = new RecentIds(WINDOW);
        b.advance(WINDOW);
        b.add("other");

        RecentIds restored = RecentIds.restore(WINDOW, a.snapshot());
        restored.addAll(b.snapshot());
        assertThat(restored.size()).isEqualTo(3);
        assertThat(restored.add("old")).isFalse();
        assertThat(restored.add("new")).isFalse();
        assertThat(restored.add("other")).isFalse();
        restored.advance(2 * WINDOW);
        assertThat(restored.add("old")).as("restored into the previous generation: dropped next").isTrue();
        assertThat(restored.add("new")).as("restored into the current generation: kept one window more").isFalse();
    }
}
