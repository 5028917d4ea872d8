package io.stampede.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.sim.DirectiveBoard.Stream;
import io.stampede.sim.ScalingRequest.Direction;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DirectiveBoardTest {

    private static final String ID = "board-test";
    private final DirectiveBoard board = DirectiveBoard.open(ID);

    @AfterEach
    void close() {
        DirectiveBoard.close(ID);
    }

    @Test
    void aSecondIsCompleteOnlyOnceBothStreamsHavePassedIt() {
        CompletableFuture<Void> needed = board.whenComplete(10_000);
        board.advance(Stream.DIRECTIVES, 20_000);
        assertThat(needed).isNotDone();
        assertThat(board.isComplete(10_000)).isFalse();
        board.advance(Stream.SCALING, 9_999);
        assertThat(needed).isDone();
        assertThat(board.watermark()).isEqualTo(9_999);
    }

    @Test
    void requestsAreReadInIssueOrderEachOnce() {
        board.publish(new ScalingRequest("us-east", 2_000, Direction.UP, 5));
        board.publish(new ScalingRequest("eu-west", 2_000, Direction.UP, 6));
        board.publish(new ScalingRequest("eu-west", 1_000, Direction.HOLD, 4));
        Autoscaler.RequestFeed feed = board.requests();
        assertThat(feed.poll(1_500)).extracting(ScalingRequest::issuedAt).containsExactly(1_000L);
        assertThat(feed.poll(2_000)).extracting(ScalingRequest::region).containsExactly("eu-west", "us-east");
        assertThat(feed.poll(3_000)).isEmpty();
    }
}
