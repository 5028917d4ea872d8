package io.stampede.control;

import java.util.ArrayList;
import java.util.List;

/**
 * The controls in force for one segment at one event time.
 *
 * @param maintenance the maintenance windows open now, by id
 * @param throttle the throttle switch that wins, or null (Stampede decides)
 * @param settings the SETTINGS control that wins, or null
 */
public record InForce(List<Control> maintenance, Control throttle, Control settings) {

    public static final InForce NONE = new InForce(List.of(), null, null);

    /** The ids of all of them, in a fixed order: what a segment logs when they change. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (Control c : maintenance) {
            ids.add(c.controlId());
        }
        if (throttle != null) {
            ids.add(throttle.controlId());
        }
        if (settings != null) {
            ids.add(settings.controlId());
        }
        return ids;
    }

    /** The throttle mode in force: {@code AUTO} without a control. */
    public Control.ThrottleMode throttleMode() {
        return throttle == null ? Control.ThrottleMode.AUTO : throttle.mode();
    }

    /**
     * The maintenance window that announces a reboot wave of these updates, or null: one of the
     * updates, or else one that names no update.
     */
    public Control announcing(java.util.Collection<String> updates) {
        Control any = null;
        for (Control c : maintenance) {
            if (c.updateId() == null) {
                any = any == null ? c : any;
            } else if (updates.contains(c.updateId())) {
                return c;
            }
        }
        return any;
    }
}
