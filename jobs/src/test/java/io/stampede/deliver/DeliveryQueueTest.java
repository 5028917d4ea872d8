package io.stampede.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryQueueTest {

    @Test
    void whenFullTheOldestReSendIsDroppedFirstAndEveryDropIsCounted() throws Exception {
        DeliveryQueue<String> queue = new DeliveryQueue<>(3);
        queue.offer("new-1", false);
        queue.offer("resend-1", true);
        queue.offer("resend-2", true);
        queue.offer("new-2", false);
        queue.offer("new-3", false);
        assertThat(queue.drops()).isEqualTo(new DeliveryQueue.Drops(2, 0));
        assertThat(queue.take(10, 0)).containsExactly("new-1", "new-2", "new-3");
    }

    @Test
    void withNoReSendLeftTheOldestEntryGoes() throws Exception {
        DeliveryQueue<String> queue = new DeliveryQueue<>(2);
        queue.offer("new-1", false);
        queue.offer("new-2", false);
        queue.offer("new-3", false);
        assertThat(queue.drops()).isEqualTo(new DeliveryQueue.Drops(0, 1));
        assertThat(queue.take(10, 0)).containsExactly("new-2", "new-3");
    }

    @Test
    void takenEntriesAreInFlightUntilDone() throws Exception {
        DeliveryQueue<String> queue = new DeliveryQueue<>(10);
        assertThat(queue.idle()).isTrue();
        queue.offer("a", false);
        queue.offer("b", true);
        queue.offer("c", false);
        assertThat(queue.take(2, 0)).containsExactly("a", "b");
        assertThat(queue.idle()).isFalse();
        assertThat(queue.take(2, 0)).containsExactly("c");
        queue.done(2);
        assertThat(queue.idle()).isFalse();
        queue.done(1);
        assertThat(queue.idle()).isTrue();
        assertThat(queue.take(1, 5)).isEmpty();
    }
}
