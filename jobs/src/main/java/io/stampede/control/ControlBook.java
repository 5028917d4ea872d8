package io.stampede.control;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * The controls known at one moment, by id, and which of them are in force for a segment at an
 * event time. Where two controls of one kind overlap, the one that starts later wins (then the
 * greater id), so {@code AUTO} written after {@code OFF} hands throttling back.
 */
public final class ControlBook {

    private final TreeMap<String, Control> controls = new TreeMap<>();

    public ControlBook() {}

    public ControlBook(Collection<Control> known) {
        for (Control c : known) {
            put(c);
        }
    }

    /** Adds a control, or replaces the one with its id. */
    public void put(Control c) {
        controls.put(c.controlId(), c);
    }

    /** Forgets a control (a tombstone on the control topic). */
    public void remove(String controlId) {
        controls.remove(controlId);
    }

    public boolean isEmpty() {
        return controls.isEmpty();
    }

    public Collection<Control> all() {
        return controls.values();
    }

    /** What is in force for {@code segment} at event time {@code t}. */
    public InForce at(String segment, long t) {
        if (controls.isEmpty()) {
            return InForce.NONE;
        }
        List<Control> maintenance = new ArrayList<>();
        Control throttle = null;
        Control settings = null;
        for (Control c : controls.values()) {
            if (!c.appliesTo(segment) || !c.inForceAt(t)) {
                continue;
            }
            switch (c.kind()) {
                case MAINTENANCE -> maintenance.add(c);
                case THROTTLE -> throttle = later(throttle, c);
                case SETTINGS -> settings = later(settings, c);
            }
        }
        if (maintenance.isEmpty() && throttle == null && settings == null) {
            return InForce.NONE;
        }
        return new InForce(List.copyOf(maintenance), throttle, settings);
    }

    private static Control later(Control a, Control b) {
        if (a == null) {
            return b;
        }
        long ta = a.effectiveFromMs();
        long tb = b.effectiveFromMs();
        return tb > ta || (tb == ta && b.controlId().compareTo(a.controlId()) > 0) ? b : a;
    }
}
