package io.stampede.cli;

import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * Prints a progress line that updates in place (on a terminal) and lines that scroll above it,
 * from any thread. Off a terminal, progress is printed as plain lines at coarse steps.
 */
final class Terminal {

    private final PrintStream out;
    private final boolean interactive;
    private String progress = "";
    private int lastStep = -1;

    Terminal(PrintStream out) {
        this.out = out;
        this.interactive = System.console() != null && System.getenv("CI") == null;
    }

    synchronized void line(String text) {
        clearProgress();
        out.println(text);
        redrawProgress();
    }

    /** Prints a line to another stream (stderr), keeping the progress line below it. */
    synchronized void line(PrintWriter to, String text) {
        clearProgress();
        out.flush();
        to.println(text);
        to.flush();
        redrawProgress();
    }

    /** Shows progress; {@code share} in 0..1. */
    synchronized void progress(String label, double share, String detail) {
        int width = 30;
        int filled = (int) Math.round(Math.max(0, Math.min(1, share)) * width);
        String bar = "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
        String text = String.format("  %s %s %3.0f%% %s", label, bar, share * 100, detail);
        if (interactive) {
            clearProgress();
            progress = text;
            redrawProgress();
        } else {
            int step = (int) (share * 4);
            if (step != lastStep) {
                lastStep = step;
                out.println(text);
            }
        }
    }

    synchronized void endProgress() {
        if (interactive && !progress.isEmpty()) {
            clearProgress();
        }
        progress = "";
        lastStep = -1;
    }

    private void clearProgress() {
        if (interactive && !progress.isEmpty()) {
            out.print("\r" + " ".repeat(progress.length()) + "\r");
        }
    }

    private void redrawProgress() {
        if (interactive && !progress.isEmpty()) {
            out.print(progress);
            out.flush();
        }
    }
}
