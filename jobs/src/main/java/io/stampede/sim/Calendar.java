package io.stampede.sim;

import io.stampede.event.RebootReason;
import io.stampede.event.Trigger;
import java.util.ArrayList;
import java.util.List;

/** What is planned to happen to which device in each second of the run, in the order it was planned. */
final class Calendar {

    /** Something that happens to a device at a planned second. */
    static final class Action {
        static final byte BOOT = 0;
        static final byte ATTEMPT = 2;
        static final byte INSTALL = 3;

        final byte type;
        final int device;
        final RebootReason reason;
        final Trigger trigger;
        final int attempt;
        final long sessionStart;
        final boolean deferred;

        Action(byte type, int device, RebootReason reason, Trigger trigger, int attempt, long sessionStart,
                boolean deferred) {
            this.type = type;
            this.device = device;
            this.reason = reason;
            this.trigger = trigger;
            this.attempt = attempt;
            this.sessionStart = sessionStart;
            this.deferred = deferred;
        }

        static Action boot(int device, RebootReason reason) {
            return new Action(BOOT, device, reason, null, 0, 0, false);
        }

        static Action install(int device) {
            return new Action(INSTALL, device, null, null, 0, 0, false);
        }

        static Action attempt(int device, Trigger trigger, int attempt, long sessionStart, boolean deferred) {
            return new Action(ATTEMPT, device, null, trigger, attempt, sessionStart, deferred);
        }
    }

    private final int length;
    private final List<List<Action>> seconds;

    /** @param length the seconds of the run */
    Calendar(int length) {
        this.length = length;
        this.seconds = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            this.seconds.add(null);
        }
    }

    /** Plans {@code a} for second {@code at} of the run; nothing happens outside the run. */
    void plan(int at, Action a) {
        if (at < 0 || at >= length) {
            return;
        }
        List<Action> list = seconds.get(at);
        if (list == null) {
            list = new ArrayList<>();
            seconds.set(at, list);
        }
        list.add(a);
    }

    /** The actions planned for {@code second}, or null when there are none; they are forgotten. */
    List<Action> take(int second) {
        List<Action> planned = seconds.get(second);
        seconds.set(second, null);
        return planned;
    }
}
