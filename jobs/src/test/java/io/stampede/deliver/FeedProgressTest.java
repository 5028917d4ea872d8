package io.stampede.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeedProgressTest {

    private static final String AM = "alertmanager";
    private static final String PD = "pagerduty";

    private final FeedProgress progress = new FeedProgress(List.of(AM, PD), Map.of(AM, Map.of(0, 10L), PD, Map.of(0, 10L)));

    @Test
    void aPositionStaysAtTheOldestStateNotYetSettled() {
        progress.read(0, 10);
        Ticket first = progress.origin(0, 10, r -> false).queued(PD);
        progress.read(0, 11);
        Ticket second = progress.origin(0, 11, r -> false).queued(PD);
        progress.read(0, 12);

        assertThat(progress.positions(0)).containsEntry(PD, 10L).containsEntry(AM, 13L);
        second.settled();
        assertThat(progress.positions(0)).containsEntry(PD, 10L);
        first.settled();
        assertThat(progress.positions(0)).containsEntry(PD, 13L);
    }

    @Test
    void eachReceiverKeepsItsOwnPosition() {
        progress.read(0, 10);
        progress.origin(0, 10, r -> false).queued(AM);
        Ticket page = progress.origin(0, 10, r -> false).queued(PD);
        page.settled();
        assertThat(progress.positions(0)).isEqualTo(Map.of(AM, 10L, PD, 11L));
        assertThat(FeedProgress.positions(FeedProgress.metadata(progress.positions(0))))
                .isEqualTo(Map.of(AM, 10L, PD, 11L));
    }

    @Test
    void aSettledTicketIsSavedOnlyByASaveTakenAfterIt() throws Exception {
        progress.read(0, 10);
        Ticket ticket = progress.origin(0, 10, r -> false).queued(PD);
        long before = progress.generation();
        ticket.settled();
        progress.saved(before);
        assertThat(ticket.awaitSaved(Duration.ofMillis(20))).isFalse();
        progress.saved(progress.generation());
        assertThat(ticket.awaitSaved(Duration.ofMillis(20))).isTrue();
    }

    @Test
    void metadataOfAnOlderStampedeHoldsNoPositions() {
        assertThat(FeedProgress.positions(null)).isEmpty();
        assertThat(FeedProgress.positions("")).isEmpty();
        assertThat(FeedProgress.positions("not json")).isEmpty();
    }
}
